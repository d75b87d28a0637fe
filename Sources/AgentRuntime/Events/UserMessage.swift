/// `user_message`: the user's message as received; the first event of every run.
public struct UserMessage: Codable, Sendable, Hashable {
    /// The text the user sent.
    public var content: String
    /// The client's idempotency key, if it sent one.
    public var clientMessageID: String?
    /// The thread the message belongs to.
    public var threadID: String
    /// The run the message starts.
    public var runID: String

    enum CodingKeys: String, CodingKey {
        case content, clientMessageID = "client_message_id", threadID = "thread_id", runID = "run_id"
    }

    /// Creates the payload.
    public init(content: String, clientMessageID: String?, threadID: String, runID: String) {
        self.content = content
        self.clientMessageID = clientMessageID
        self.threadID = threadID
        self.runID = runID
    }

    /// Encodes every field, an absent `client_message_id` as `null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(content, forKey: .content)
        try container.encode(clientMessageID, forKey: .clientMessageID)
        try container.encode(threadID, forKey: .threadID)
        try container.encode(runID, forKey: .runID)
    }
}
