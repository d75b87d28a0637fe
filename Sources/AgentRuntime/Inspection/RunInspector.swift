import Foundation
import GRDB
import Journal

/// Read-only questions an engineer asks of a journal: which runs, what happened in one, who was sent what.
///
/// Everything comes from SQL over the journal's events, deliveries and projections (see schema/), so the
/// answers are exactly what `sqlite3` would show.
public struct RunInspector: Sendable {
    /// The journal inspected.
    public let journal: EventJournal

    /// Creates an inspector over a journal.
    public init(journal: EventJournal) {
        self.journal = journal
    }

    /// Runs, newest first, optionally of one user and one status.
    public func runs(user: String? = nil, status: String? = nil, limit: Int = 50) async throws -> [RunListing] {
        try await journal.read { db in
            var conditions: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            if let user {
                conditions.append("r.user_id = ?")
                arguments.append(user)
            }
            if let status {
                conditions.append("r.status = ?")
                arguments.append(status)
            }
            arguments.append(limit)
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT s.run_id, s.user_id, s.thread_id, s.status, s.agents, s.event_count, s.duration_ms,
                           s.path, s.degraded, s.error_code, s.started_at,
                           (SELECT group_concat(DISTINCT json_extract(e.payload, '$.model')) FROM events AS e
                             WHERE e.run_id = s.run_id AND e.type = 'llm_response') AS models,
                           (SELECT COALESCE(SUM(json_extract(e.payload, '$.prompt_tokens')
                                                + json_extract(e.payload, '$.completion_tokens')), 0)
                              FROM events AS e WHERE e.run_id = s.run_id AND e.type = 'llm_response') AS tokens
                    FROM run_summary AS s JOIN runs AS r ON r.run_id = s.run_id
                    \(filter)
                    ORDER BY r.first_seq DESC
                    LIMIT ?
                    """,
                arguments: StatementArguments(arguments))
            return rows.map { row in
                RunListing(
                    runID: row["run_id"], userID: row["user_id"], threadID: row["thread_id"], status: row["status"],
                    agents: Self.list(row["agents"]), eventCount: row["event_count"], durationMs: row["duration_ms"],
                    path: row["path"], degraded: row["degraded"] ?? false, errorCode: row["error_code"],
                    startedAt: row["started_at"], models: Self.list(row["models"]), tokens: row["tokens"] ?? 0)
            }
        }
    }

    /// The run's events in order, each with its offset, agent, tool, a short detail and its deliveries;
    /// nil when the journal has no such run. With `foldingDeltas`, the consecutive `agent_response_delta` events of
    /// one response are one entry (at the first one's seq and offset, the detail `r1 ×N "text"`, every
    /// connection that received any of them).
    public func timeline(runID: String, foldingDeltas: Bool) async throws -> [TimelineEntry]? {
        guard let entries = try await timeline(runID: runID) else { return nil }
        return foldingDeltas ? Self.foldingDeltas(entries) : entries
    }

    /// The run's events in order, each with its offset, agent, tool, a short detail and its deliveries;
    /// nil when the journal has no such run.
    public func timeline(runID: String) async throws -> [TimelineEntry]? {
        try await journal.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT t.seq, t.offset_ms, t.type, t.agent_name, t.tool_name, t.causation_seq, e.payload
                    FROM run_timeline AS t JOIN events AS e ON e.seq = t.seq
                    WHERE t.run_id = ?
                    ORDER BY t.seq
                    """,
                arguments: [runID])
            guard !rows.isEmpty else { return nil }
            let deliveries = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.seq, d.connection_id, d.recipient_user_id, d.sent_at
                    FROM deliveries AS d JOIN events AS e ON e.seq = d.seq
                    WHERE e.run_id = ?
                    ORDER BY d.seq, d.id
                    """,
                arguments: [runID])
            var framesBySeq: [Int64: [TimelineEntry.FrameDelivery]] = [:]
            for row in deliveries {
                framesBySeq[row["seq"], default: []].append(TimelineEntry.FrameDelivery(
                    connectionID: row["connection_id"], recipientUserID: row["recipient_user_id"],
                    sentAt: row["sent_at"]))
            }
            return rows.map { row in
                let seq: Int64 = row["seq"]
                let type: String = row["type"]
                let payload: String = row["payload"]
                var entry = TimelineEntry(
                    seq: seq, offsetMs: row["offset_ms"] ?? 0, type: type, agentName: row["agent_name"],
                    toolName: row["tool_name"], detail: Self.detail(type: type, payload: payload),
                    causationSeq: row["causation_seq"], deliveries: framesBySeq[seq] ?? [])
                if EventType.streamedAnswerTypes.contains(type), let value = try? JSONValue(parsing: payload) {
                    entry.responseID = value["response_id"]?.stringValue
                    entry.delta = value["delta"]?.stringValue
                }
                return entry
            }
        }
    }

    /// `entries` with each run of consecutive deltas of one response folded into its first.
    static func foldingDeltas(_ entries: [TimelineEntry]) -> [TimelineEntry] {
        var folded: [TimelineEntry] = []
        var run: (responseID: String, count: Int, text: String)?
        for entry in entries {
            guard entry.type == EventType.agentResponseDelta.rawValue, let responseID = entry.responseID else {
                run = nil
                folded.append(entry)
                continue
            }
            let text = entry.delta ?? ""
            if let current = run, current.responseID == responseID, var last = folded.popLast() {
                run = (responseID, current.count + 1, current.text + text)
                let known = Set(last.deliveries.map(\.connectionID))
                last.deliveries += entry.deliveries.filter { !known.contains($0.connectionID) }
                last.delta = current.text + text
                last.detail = "\(responseID) ×\(current.count + 1) \(quoted(current.text + text))"
                folded.append(last)
                continue
            }
            run = (responseID, 1, text)
            var entry = entry
            entry.detail = "\(responseID) ×1 \(quoted(text))"
            folded.append(entry)
        }
        return folded
    }

    /// Text in quotes on one line, cut at 80 characters.
    static func quoted(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: "⏎")
        return "\"" + (flat.count <= 80 ? flat : String(flat.prefix(79)) + "…") + "\""
    }

    private static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map(String.init)
    }

    /// The few payload fields worth a glance in a timeline.
    static func detail(type: String, payload: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any] else {
            return nil
        }
        func text(_ key: String) -> String? { object[key].map { "\($0)" } }
        var parts: [String] = []
        switch type {
        case "llm_response":
            if let model = text("model") { parts.append("model=\(model)") }
            if let prompt = text("prompt_tokens"), let completion = text("completion_tokens") {
                parts.append("tokens=\(prompt)+\(completion)")
            }
            if let latency = text("latency_ms") { parts.append("\(latency) ms") }
            if let attempts = object["attempts"] as? [Any], attempts.count > 1 { parts.append("attempts=\(attempts.count)") }
        case "agent_response_delta":
            parts.append("\(text("response_id") ?? "?")#\(text("chunk_index") ?? "?")")
            parts.append(quoted(text("delta") ?? ""))
        case "agent_response_reset":
            parts += [text("response_id") ?? "?", text("reason") ?? "?"]
        case "llm_failed", "agent_error", "run_failed", "run_cancelled", "input_rejected":
            if let code = text("error_code") ?? text("code") { parts.append(code) }
            if let message = text("message") { parts.append(message) }
        default:
            if let status = text("status") { parts.append("status=\(status)") }
            if let duration = text("duration_ms") { parts.append("\(duration) ms") }
            if let degraded = object["degraded"] as? Bool, degraded { parts.append("degraded") }
        }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }
}
