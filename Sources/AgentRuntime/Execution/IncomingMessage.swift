/// A user message the gateway has validated (not blank, not too large), ready to start a run.
public struct IncomingMessage: Sendable, Hashable {
    /// The authenticated sender.
    public var userID: String
    /// The text.
    public var content: String
    /// The thread to continue; nil starts a new thread.
    public var threadID: String?
    /// The client's idempotency key.
    public var clientMessageID: String?
    /// The connection the message came from.
    public var connectionID: String?

    /// Creates a message.
    public init(
        userID: String, content: String, threadID: String? = nil, clientMessageID: String? = nil,
        connectionID: String? = nil
    ) {
        self.userID = userID
        self.content = content
        self.threadID = threadID
        self.clientMessageID = clientMessageID
        self.connectionID = connectionID
    }
}
