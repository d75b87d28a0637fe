import Journal

/// What ``RunCoordinator/submit(_:)`` answers: the run the message started (or started before, for a repeat).
public struct MessageAcceptance: Sendable, Hashable {
    /// The run.
    public var runID: String
    /// The thread.
    public var threadID: String
    /// The client's idempotency key, if given.
    public var clientMessageID: String?
    /// The recorded `message_received` event (for a repeat, the original one).
    public var messageReceived: RecordedEvent
    /// True when the client message id was seen before: no new run, no new event.
    public var isDuplicate: Bool

    /// Creates an acceptance.
    public init(
        runID: String, threadID: String, clientMessageID: String?, messageReceived: RecordedEvent, isDuplicate: Bool
    ) {
        self.runID = runID
        self.threadID = threadID
        self.clientMessageID = clientMessageID
        self.messageReceived = messageReceived
        self.isDuplicate = isDuplicate
    }
}
