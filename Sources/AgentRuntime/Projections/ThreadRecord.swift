/// A conversation thread, as the `threads` projection holds it.
public struct ThreadRecord: Codable, Sendable, Hashable {
    /// The thread.
    public var threadID: String
    /// Its owner.
    public var userID: String
    /// The first line of its first message.
    public var title: String
    /// When its first message was recorded.
    public var createdAt: String
    /// When its last message was recorded.
    public var updatedAt: String
    /// User messages and answers in the thread.
    public var messageCount: Int
    /// The thread's latest run.
    public var lastRunID: String?

    enum CodingKeys: String, CodingKey {
        case threadID = "thread_id", userID = "user_id", title, createdAt = "created_at", updatedAt = "updated_at",
            messageCount = "message_count", lastRunID = "last_run_id"
    }

    /// Creates a record.
    public init(
        threadID: String, userID: String, title: String, createdAt: String, updatedAt: String, messageCount: Int,
        lastRunID: String?
    ) {
        self.threadID = threadID
        self.userID = userID
        self.title = title
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.messageCount = messageCount
        self.lastRunID = lastRunID
    }
}
