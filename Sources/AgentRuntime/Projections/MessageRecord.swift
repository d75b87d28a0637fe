/// One message of a thread's transcript, as the `messages` projection holds it.
public struct MessageRecord: Codable, Sendable, Hashable {
    /// Who wrote the message.
    public enum Role: String, Codable, Sendable, Hashable {
        /// The user.
        case user
        /// The assistant (a run's answer).
        case assistant
    }

    /// The sequence number of the event the message comes from.
    public var seq: Int64
    /// The thread.
    public var threadID: String
    /// The run the message started or answered.
    public var runID: String
    /// The thread's owner.
    public var userID: String
    /// Who wrote it.
    public var role: Role
    /// The text.
    public var content: String
    /// When it was recorded.
    public var createdAt: String

    enum CodingKeys: String, CodingKey {
        case seq, threadID = "thread_id", runID = "run_id", userID = "user_id", role, content,
            createdAt = "created_at"
    }

    /// Creates a record.
    public init(
        seq: Int64, threadID: String, runID: String, userID: String, role: Role, content: String, createdAt: String
    ) {
        self.seq = seq
        self.threadID = threadID
        self.runID = runID
        self.userID = userID
        self.role = role
        self.content = content
        self.createdAt = createdAt
    }
}
