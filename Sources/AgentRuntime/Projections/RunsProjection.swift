import Foundation
import Journal

/// Folds run events into the `runs` table: one row per run with its status, agents, path and outcome.
///
/// A pure fold of the same run-status rules `replay` uses (``RunRecord/apply(_:seq:recordedAt:)``): an event that
/// changes more than the count reads its run's row, applies its ``RunRecord/Change`` and writes the row back
/// through one backend-neutral upsert (``ProjectionRow``); an event that only counts updates the count and
/// `last_seq` in place. Every column comes from the events alone (times are `recorded_at`), so a rebuild
/// gives the same rows.
public struct RunsProjection: JournalProjection {
    /// `runs`
    public let name = "runs"
    /// The `runs` table, keyed by `run_id`.
    public let tables = [RunRecord.table]

    /// Creates the projection.
    public init() {}

    /// The run's row, for every event of a run.
    public func rowsRead(by event: RecordedEvent) -> [ProjectionRow.ID] {
        guard let runID = event.runID, EventType(rawValue: event.type) != nil else { return [] }
        return [RunRecord.rowID(runID)]
    }

    /// Folds one event into its run's row.
    /// - Throws: ``AgentEventError`` when a run event's payload does not decode.
    public func apply(_ event: RecordedEvent, to rows: inout ProjectionRows) throws {
        guard let runID = event.runID, let type = EventType(rawValue: event.type) else { return }
        let id = RunRecord.rowID(runID)
        let change = type == .userMessage ? RunRecord.Change.counted : try Self.change(of: event, type: type)
        guard let existing = try rows.row(id) else {
            guard type == .userMessage, case .userMessage(let message) = try AgentEvent(recorded: event) else { return }
            var record = RunRecord(opening: event, runID: runID, threadID: message.threadID)
            record.apply(.counted, seq: event.seq, recordedAt: event.recordedAt)
            rows.write(record.row)
            return
        }
        guard type != .userMessage else { return }  // a run opens once
        if change == .counted {
            // Most of a run's events only count (thinking, tool calls, model turns): the fold's whole effect is
            // the count and the last seq, written without rewriting the row.
            let count = existing["event_count"]?.integerValue ?? 0
            try rows.update(id, set: [("event_count", .integer(count + 1)), ("last_seq", .integer(event.seq))])
            return
        }
        var record = RunRecord(row: existing)
        record.apply(change, seq: event.seq, recordedAt: event.recordedAt)
        rows.write(record.row)
    }

    /// The change an event makes, decoding only the events that change more than the count.
    private static func change(of event: RecordedEvent, type: EventType) throws -> RunRecord.Change {
        switch type {
        case .agentStarted, .runCompleted, .runFailed, .runCancelled:
            return RunRecord.Change(try AgentEvent(recorded: event))
        case .toolCompleted:
            return .toolCompleted(path: try pathNamed(by: event))
        case .userMessage, .messageReceived, .agentThinking, .toolExecuting, .agentCompleted, .agentError,
            .agentResponseDelta, .agentResponseReset, .llmRequest, .llmResponse, .llmFailed, .runRecovery, .connectionOpened, .connectionClosed,
            .inputRejected, .userSignedUp:
            return .counted
        }
    }

    /// The path a successful tool call names for its run (``RunPath/named(by:)``); nil for every other
    /// `tool_completed`.
    ///
    /// Reads the payload as plain JSON (``JSONValue/init(parsing:)-(String)``) when this code wrote it: decoding
    /// the whole event would decode every result, inside the append transaction.
    private static func pathNamed(by event: RecordedEvent) throws -> String? {
        if event.schemaVersion == EventType.toolCompleted.schemaVersion,
            let payload = try? JSONValue(parsing: event.payload),
            let status = payload["status"]?.stringValue.flatMap(ToolStatus.init(rawValue:))
        {
            guard status == .success else { return nil }
            return RunPath.named(by: payload["results"] ?? .null)
        }
        // Written by older code, or not what this code writes: decode it properly (typed errors, upcasting).
        guard case .toolCompleted(let completed) = try AgentEvent(recorded: event), completed.status == .success
        else { return nil }
        return RunPath.named(by: completed.results)
    }
}
