import Foundation
import GRDB
import Journal

/// Folds run events into the `runs` table: one row per run with its status, agents, path and outcome.
///
/// A pure fold: every column comes from the events alone (times are `recorded_at`), so a rebuild gives the
/// same rows.
public struct RunsProjection: JournalProjection {
    /// `runs`
    public let name = "runs"
    /// `["runs"]`
    public let tables = ["runs"]

    /// Creates the projection.
    public init() {}

    /// Applies one event inside the append transaction.
    /// - Throws: ``AgentEventError`` when a run event's payload does not decode, or a database error.
    public func apply(_ event: RecordedEvent, in db: Database) throws {
        guard let runID = event.runID, let type = EventType(rawValue: event.type) else { return }
        if type == .userMessage {
            guard case .userMessage(let message) = try AgentEvent(recorded: event) else { return }
            try db.cachedStatement(
                sql: """
                    INSERT INTO runs (run_id, user_id, thread_id, status, event_count, started_at, first_seq, last_seq)
                    VALUES (?, ?, ?, ?, 1, ?, ?, ?)
                    ON CONFLICT (run_id) DO NOTHING
                    """).execute(arguments: [
                    runID, event.userID ?? "", event.threadID ?? message.threadID, RunStatus.pending.rawValue,
                    event.recordedAt, event.seq, event.seq,
                ])
            return
        }
        try db.cachedStatement(
            sql: "UPDATE runs SET event_count = event_count + 1, last_seq = ? WHERE run_id = ?").execute(arguments: [event.seq, runID])
        switch type {
        case .agentStarted:
            guard case .agentStarted(let started) = try AgentEvent(recorded: event) else { return }
            try db.cachedStatement(
                sql: """
                    UPDATE runs SET
                        status = CASE WHEN status = ? THEN ? ELSE status END,
                        current_agent = ?,
                        agents = CASE
                            WHEN agents = '' THEN ?
                            WHEN instr(',' || agents || ',', ',' || ? || ',') > 0 THEN agents
                            ELSE agents || ',' || ? END
                    WHERE run_id = ?
                    """).execute(arguments: [
                    RunStatus.pending.rawValue, RunStatus.running.rawValue, started.agentName, started.agentName,
                    started.agentName, started.agentName, runID,
                ])
        case .toolCompleted:
            guard let sufficiency = try Self.dataSufficiency(of: event) else { return }
            try db.cachedStatement(sql: "UPDATE runs SET path = ? WHERE run_id = ?").execute(arguments: [sufficiency, runID])
        case .runCompleted:
            guard case .runCompleted(let completed) = try AgentEvent(recorded: event) else { return }
            try end(
                runID, status: .completed, at: event.recordedAt, errorCode: nil,
                finalResponse: completed.finalResponse, degraded: completed.degraded, in: db)
        case .runFailed:
            guard case .runFailed(let failed) = try AgentEvent(recorded: event) else { return }
            try end(
                runID, status: .failed, at: event.recordedAt, errorCode: failed.errorCode, finalResponse: nil,
                degraded: false, in: db)
        case .runCancelled:
            guard case .runCancelled(let cancelled) = try AgentEvent(recorded: event) else { return }
            try end(
                runID, status: .cancelled, at: event.recordedAt, errorCode: cancelled.errorCode,
                finalResponse: nil, degraded: false, in: db)
        case .userMessage, .messageReceived, .agentThinking, .toolExecuting, .agentCompleted, .agentError,
            .llmRequest, .llmResponse, .llmFailed, .runRecovery, .connectionOpened, .connectionClosed,
            .inputRejected, .userSignedUp:
            return
        }
    }

    /// The path a successful tool call names for its run (``RunPath/named(by:)``); nil for every other
    /// `tool_completed`.
    ///
    /// Looks for the keys in the text first, and reads the results as plain JSON: decoding them as `JSONValue`
    /// costs a thrown error per value that is not a string, inside the append transaction.
    private static func dataSufficiency(of event: RecordedEvent) throws -> String? {
        guard RunPath.keys.contains(where: { event.payload.contains("\"\($0)\"") }) else { return nil }
        if event.schemaVersion == EventType.toolCompleted.schemaVersion,
            let header = try? JSONDecoder().decode(ToolCompletedHeader.self, from: Data(event.payload.utf8))
        {
            guard header.status == .success else { return nil }
            if let payload = try? JSONValue(parsing: event.payload) {
                return RunPath.named(by: payload["results"] ?? .null)
            }
        }
        // Written by older code, or not what this code writes: decode it properly (typed errors, upcasting).
        guard case .toolCompleted(let completed) = try AgentEvent(recorded: event), completed.status == .success
        else { return nil }
        return RunPath.named(by: completed.results)
    }

    private func end(
        _ runID: String, status: RunStatus, at time: String, errorCode: String?, finalResponse: String?,
        degraded: Bool, in db: Database
    ) throws {
        try db.cachedStatement(
            sql: """
                UPDATE runs SET status = ?, ended_at = ?, error_code = ?, final_response = ?, degraded = ?,
                    current_agent = NULL
                WHERE run_id = ? AND ended_at IS NULL
                """).execute(arguments: [status.rawValue, time, errorCode, finalResponse, degraded, runID])
    }
}

/// The status of a `tool_completed`, read without its results.
private struct ToolCompletedHeader: Decodable {
    var status: ToolStatus
}
