import Foundation
import GRDB
import Journal

/// Folds user messages and answers into the `threads` table: one row per conversation thread.
public struct ThreadsProjection: JournalProjection {
    /// `threads`
    public let name = "threads"
    /// `["threads"]`
    public let tables = ["threads"]

    /// The longest title taken from a thread's first message.
    static let maximumTitleLength = 80

    /// Creates the projection.
    public init() {}

    /// Applies one event inside the append transaction.
    /// - Throws: ``AgentEventError`` when a payload does not decode, or a database error.
    public func apply(_ event: RecordedEvent, in db: Database) throws {
        guard let type = EventType(rawValue: event.type) else { return }
        switch type {
        case .userMessage:
            guard case .userMessage(let message) = try AgentEvent(recorded: event) else { return }
            try db.cachedStatement(
                sql: """
                    INSERT INTO threads (thread_id, user_id, title, created_at, updated_at, message_count, last_run_id)
                    VALUES (?, ?, ?, ?, ?, 1, ?)
                    ON CONFLICT (thread_id) DO UPDATE SET
                        updated_at = excluded.updated_at,
                        message_count = message_count + 1,
                        last_run_id = excluded.last_run_id
                    WHERE threads.user_id = excluded.user_id
                    """).execute(arguments: [
                    message.threadID, event.userID ?? "", Self.title(of: message.content), event.recordedAt,
                    event.recordedAt, message.runID,
                ])
        case .runCompleted:
            guard let threadID = event.threadID else { return }
            try db.cachedStatement(
                sql: "UPDATE threads SET message_count = message_count + 1, updated_at = ? WHERE thread_id = ?").execute(arguments: [event.recordedAt, threadID])
        case .messageReceived, .agentStarted, .agentThinking, .toolExecuting, .toolCompleted, .agentCompleted,
            .agentError, .runFailed, .runCancelled, .agentResponseDelta, .agentResponseReset, .llmRequest, .llmResponse, .llmFailed, .runRecovery,
            .connectionOpened, .connectionClosed, .inputRejected, .userSignedUp:
            return
        }
    }

    /// A thread's title: the first line of its first message, shortened.
    static func title(of content: String) -> String {
        let firstLine = content.split(whereSeparator: \.isNewline).first.map(String.init) ?? content
        let trimmed = firstLine.trimmingCharacters(in: .whitespaces)
        guard trimmed.count > maximumTitleLength else { return trimmed }
        return String(trimmed.prefix(maximumTitleLength - 1)) + "…"
    }
}
