/// The result of verifying a journal.
public struct IntegrityReport: Sendable, Hashable {
    /// The number of events checked.
    public var eventCount: Int64
    /// The last sequence number.
    public var headSeq: Int64
    /// The checks that ran, by name.
    public var checks: [String]
    /// Everything found, failures and warnings.
    public var problems: [IntegrityProblem]

    /// Creates a report.
    public init(eventCount: Int64, headSeq: Int64, checks: [String], problems: [IntegrityProblem]) {
        self.eventCount = eventCount
        self.headSeq = headSeq
        self.checks = checks
        self.problems = problems
    }

    /// The findings that fail verification.
    public var failures: [IntegrityProblem] { problems.filter { $0.severity == .failure } }
    /// The findings that fail only strict verification.
    public var warnings: [IntegrityProblem] { problems.filter { $0.severity == .warning } }

    /// True when nothing fails; with `strict`, when there are no warnings either.
    public func passes(strict: Bool = false) -> Bool {
        strict ? problems.isEmpty : failures.isEmpty
    }
}
