/// `message_received` (frame): the acknowledgement of a user message.
public struct MessageReceived: Codable, Sendable, Hashable {
    /// The client's idempotency key, or `null`.
    public var clientMessageID: String?
    /// The thread of the message.
    public var threadID: String
    /// The run the message started.
    public var runID: String

    enum CodingKeys: String, CodingKey {
        case clientMessageID = "client_message_id", threadID = "thread_id", runID = "run_id"
    }

    /// Creates the payload.
    public init(clientMessageID: String?, threadID: String, runID: String) {
        self.clientMessageID = clientMessageID
        self.threadID = threadID
        self.runID = runID
    }

    /// Encodes every field, an absent `client_message_id` as `null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(clientMessageID, forKey: .clientMessageID)
        try container.encode(threadID, forKey: .threadID)
        try container.encode(runID, forKey: .runID)
    }
}
