/// Counters of the journal's writer since the journal was opened: how well group commit is batching.
public struct WriterStatistics: Sendable, Hashable {
    /// Transactions committed.
    public var commits = 0
    /// Requests (appends and delivery records) acknowledged by those commits.
    public var requests = 0
    /// Events appended (not counting retried appends that wrote nothing).
    public var events = 0
    /// The most requests one transaction carried.
    public var largestBatch = 0

    /// Creates zeroed counters.
    public init() {}
}
