/// A check that a layer above the journal adds to `verify` (registered in ``JournalConfiguration/integrityChecks``).
///
/// It reads the same snapshot as the log's own checks, through the journal's backend-neutral reads
/// (``JournalSnapshot/rows(_:)`` of a table or a view of the layer's schema), so that it runs on every backend.
public protocol IntegrityCheck: Sendable {
    /// The check's name in the report.
    var name: String { get }
    /// The problems found, empty when the check passes.
    func run(on snapshot: JournalSnapshot) throws -> [IntegrityProblem]
}
