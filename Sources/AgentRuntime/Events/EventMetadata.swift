/// Where an event goes and who owns it: everything of a `NewEvent` but its type and payload.
public struct EventMetadata: Sendable, Hashable {
    /// The idempotency key.
    public var eventID: String
    /// The owner.
    public var userID: String?
    /// The thread, if any.
    public var threadID: String?
    /// The run, if any.
    public var runID: String?
    /// The connection, if any.
    public var connectionID: String?
    /// The sequence number of the event that caused this one.
    public var causationSeq: Int64?
    /// An id shared by the events of one piece of work.
    public var correlationID: String?

    /// Creates metadata.
    public init(
        eventID: String, userID: String? = nil, threadID: String? = nil, runID: String? = nil,
        connectionID: String? = nil, causationSeq: Int64? = nil, correlationID: String? = nil
    ) {
        self.eventID = eventID
        self.userID = userID
        self.threadID = threadID
        self.runID = runID
        self.connectionID = connectionID
        self.causationSeq = causationSeq
        self.correlationID = correlationID
    }
}
