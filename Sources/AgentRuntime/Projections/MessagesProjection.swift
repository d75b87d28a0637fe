import Journal

/// Folds the transcript into the `messages` table: each user message and each run's answer.
public struct MessagesProjection: JournalProjection {
    /// `messages`
    public let name = "messages"
    /// The `messages` table, keyed by the `seq` of the event a message comes from.
    public let tables = [
        ProjectionTable(
            name: "messages", key: ["seq"],
            columns: [
                .init("seq", .integer), .init("thread_id", .text), .init("run_id", .text), .init("user_id", .text),
                .init("role", .text), .init("content", .text), .init("created_at", .text),
            ])
    ]

    /// Creates the projection.
    public init() {}

    /// Applies one event inside the append transaction.
    /// - Throws: ``AgentEventError`` when a payload does not decode.
    public func apply(_ event: RecordedEvent, to rows: inout ProjectionRows) throws {
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
        rows.write(
            ProjectionRow(
                table: "messages", key: ["seq"],
                columns: [
                    ("seq", .integer(event.seq)), ("thread_id", .text(threadID)), ("run_id", .text(runID)),
                    ("user_id", .text(event.userID ?? "")), ("role", .text(role.rawValue)), ("content", .text(content)),
                    ("created_at", .text(event.recordedAt)),
                ], onConflict: .fail))
    }
}
