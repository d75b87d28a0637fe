import GRDB
import Journal

/// Folds the transcript into the `messages` table: each user message and each run's answer.
public struct MessagesProjection: JournalProjection {
    /// `messages`
    public let name = "messages"
    /// `["messages"]`
    public let tables = ["messages"]

    /// Creates the projection.
    public init() {}

    /// Applies one event inside the append transaction.
    /// - Throws: ``AgentEventError`` when a payload does not decode, or a database error.
    public func apply(_ event: RecordedEvent, in db: Database) throws {
        guard let type = EventType(rawValue: event.type) else { return }
        let role: MessageRecord.Role
        let content: String
        let threadID: String
        let runID: String
        switch type {
        case .userMessage:
            guard case .userMessage(let message) = try AgentEvent(recorded: event) else { return }
            (role, content, threadID, runID) = (.user, message.content, message.threadID, message.runID)
        case .runCompleted:
            guard case .runCompleted(let completed) = try AgentEvent(recorded: event),
                let thread = event.threadID, let run = event.runID
            else { return }
            (role, content, threadID, runID) = (.assistant, completed.finalResponse, thread, run)
        case .messageReceived, .agentStarted, .agentThinking, .toolExecuting, .toolCompleted, .agentCompleted,
            .agentError, .runFailed, .runCancelled, .agentResponseDelta, .agentResponseReset, .llmRequest, .llmResponse, .llmFailed, .runRecovery,
            .connectionOpened, .connectionClosed, .inputRejected, .userSignedUp:
            return
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO messages (seq, thread_id, run_id, user_id, role, content, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [event.seq, threadID, runID, event.userID ?? "", role.rawValue, content, event.recordedAt])
    }
}
