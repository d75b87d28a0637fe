import Foundation
import Journal

/// Folds user messages and answers into the `threads` table: one row per conversation thread.
public struct ThreadsProjection: JournalProjection {
    /// `threads`
    public let name = "threads"
    /// The `threads` table, keyed by `thread_id`.
    public let tables = [
        ProjectionTable(
            name: "threads", key: ["thread_id"],
            columns: [
                .init("thread_id", .text), .init("user_id", .text), .init("title", .text), .init("created_at", .text),
                .init("updated_at", .text), .init("message_count", .integer), .init("last_run_id", .text),
            ])
    ]

    /// The longest title taken from a thread's first message.
    static let maximumTitleLength = 80

    /// Creates the projection.
    public init() {}

    /// The thread's row, for the events that change it.
    public func rowsRead(by event: RecordedEvent) -> [ProjectionRow.ID] {
        guard let threadID = Self.threadID(of: event) else { return [] }
        return [Self.rowID(threadID)]
    }

    /// Folds a `user_message` (a thread opens, or gets a message) or a `run_completed` (the answer) into the thread.
    /// A thread belongs to the user who opened it: another user's message naming it changes nothing.
    /// - Throws: ``AgentEventError`` when a `user_message` payload does not decode.
    public func apply(_ event: RecordedEvent, to rows: inout ProjectionRows) throws {
        guard let type = EventType(rawValue: event.type) else { return }
        switch type {
        case .userMessage:
            guard case .userMessage(let message) = try AgentEvent(recorded: event) else { return }
            let id = Self.rowID(message.threadID)
            let owner = event.userID ?? ""
            guard let existing = try rows.row(id) else {
                rows.write(
                    ProjectionRow(
                        table: "threads", key: ["thread_id"],
                        columns: [
                            ("thread_id", .text(message.threadID)), ("user_id", .text(owner)),
                            ("title", .text(Self.title(of: message.content))), ("created_at", .text(event.recordedAt)),
                            ("updated_at", .text(event.recordedAt)), ("message_count", .integer(1)),
                            ("last_run_id", .text(message.runID)),
                        ]))
                return
            }
            guard existing["user_id"]?.textValue == owner else { return }
            let count = existing["message_count"]?.integerValue ?? 0
            try rows.update(
                id,
                set: [
                    ("updated_at", .text(event.recordedAt)), ("message_count", .integer(count + 1)),
                    ("last_run_id", .text(message.runID)),
                ])
        case .runCompleted:
            guard let threadID = event.threadID else { return }
            let id = Self.rowID(threadID)
            guard let existing = try rows.row(id) else { return }
            let count = existing["message_count"]?.integerValue ?? 0
            try rows.update(id, set: [("message_count", .integer(count + 1)), ("updated_at", .text(event.recordedAt))])
        case .messageReceived, .agentStarted, .agentThinking, .toolExecuting, .toolCompleted, .agentCompleted,
            .agentError, .runFailed, .runCancelled, .agentResponseDelta, .agentResponseReset, .llmRequest,
            .llmResponse, .llmFailed, .runRecovery, .connectionOpened, .connectionClosed, .inputRejected,
            .userSignedUp:
            return
        }
    }

    /// The thread an event changes: a `user_message`'s (its payload names it) or a `run_completed`'s. A payload
    /// that does not decode names none (and ``apply(_:to:)`` reports it).
    private static func threadID(of event: RecordedEvent) -> String? {
        switch event.type {
        case EventType.runCompleted.rawValue:
            return event.threadID
        case EventType.userMessage.rawValue:
            guard case .userMessage(let message)? = try? AgentEvent(recorded: event) else { return nil }
            return message.threadID
        default:
            return nil
        }
    }

    private static func rowID(_ threadID: String) -> ProjectionRow.ID {
        ProjectionRow.ID(table: "threads", key: [.text(threadID)])
    }

    /// A thread's title: the first line of its first message, shortened.
    static func title(of content: String) -> String {
        let firstLine = content.split(whereSeparator: \.isNewline).first.map(String.init) ?? content
        let trimmed = firstLine.trimmingCharacters(in: .whitespaces)
        guard trimmed.count > maximumTitleLength else { return trimmed }
        return String(trimmed.prefix(maximumTitleLength - 1)) + "…"
    }
}
