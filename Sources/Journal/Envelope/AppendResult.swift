/// What an acknowledged append returns: where its events landed. Returned only after the commit.
public struct AppendResult: Sendable, Hashable {
    /// The stream appended to.
    public var stream: String
    /// The events as recorded, in order (for a retried append, as first recorded).
    public var events: [RecordedEvent]
    /// True when every event was already recorded by an earlier append with the same event ids.
    public var wasAlreadyRecorded: Bool

    /// The sequence numbers of the appended events, in order.
    public var seqs: [Int64] { events.map(\.seq) }
    /// The sequence number of the last event, or 0 for an empty append.
    public var lastSeq: Int64 { events.last?.seq ?? 0 }
    /// The stream's version after the append.
    public var streamVersion: Int64 { events.last?.streamVersion ?? 0 }

    /// Creates a result.
    public init(stream: String, events: [RecordedEvent], wasAlreadyRecorded: Bool) {
        self.stream = stream
        self.events = events
        self.wasAlreadyRecorded = wasAlreadyRecorded
    }
}
