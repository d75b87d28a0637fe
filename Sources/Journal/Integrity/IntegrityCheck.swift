import GRDB

/// A check that `verify` runs over the journal, beyond the journal's own (sequence, streams, hashes, projections).
///
/// The layers above the journal add theirs: no cross-user delivery or event, runs without a terminal event.
public protocol IntegrityCheck: Sendable {
    /// A short name for the report.
    var name: String { get }
    /// Returns the problems found; an empty array when the check passes.
    func run(in db: Database) throws -> [IntegrityProblem]
}
