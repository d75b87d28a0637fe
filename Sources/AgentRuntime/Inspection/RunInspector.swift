import Foundation
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
        var conditions: [RowQuery.Condition] = []
        if let user { conditions.append(.equals("user_id", .text(user))) }
        if let status { conditions.append(.equals("status", .text(status))) }
        let rows = try await journal.rows(
            RowQuery(
                from: "run_listing",
                columns: [
                    "run_id", "user_id", "thread_id", "status", "agents", "event_count", "duration_ms", "path", "degraded",
                    "error_code", "started_at", "models", "tokens",
                ], where: conditions, orderBy: [.init("first_seq", descending: true)], limit: limit))
        return rows.map { row in
            RunListing(
                runID: row["run_id"]?.textValue ?? "", userID: row["user_id"]?.textValue ?? "",
                threadID: row["thread_id"]?.textValue ?? "", status: row["status"]?.textValue ?? "",
                agents: Self.list(row["agents"]?.textValue), eventCount: Int(row["event_count"]?.integerValue ?? 0),
                durationMs: row["duration_ms"]?.integerValue.map(Int.init), path: row["path"]?.textValue,
                degraded: (row["degraded"]?.integerValue ?? 0) != 0, errorCode: row["error_code"]?.textValue,
                startedAt: row["started_at"]?.textValue ?? "", models: Self.list(row["models"]?.textValue),
                tokens: Int(row["tokens"]?.integerValue ?? 0))
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
        try await journal.reading { snapshot in
            let rows = try snapshot.rows(
                RowQuery(
                    from: "run_timeline", columns: ["seq", "offset_ms", "type", "agent_name", "tool_name", "causation_seq"],
                    where: [.equals("run_id", .text(runID))], orderBy: ["seq"]))
            guard !rows.isEmpty else { return nil }
            var payloads: [Int64: String] = [:]
            try snapshot.forEachEvent(filter: .run(runID)) { payloads[$0.seq] = $0.payload }
            let deliveries = try snapshot.rows(
                RowQuery(
                    from: "run_deliveries", columns: ["seq", "connection_id", "recipient_user_id", "sent_at"],
                    where: [.equals("run_id", .text(runID))], orderBy: ["seq", "id"]))
            var framesBySeq: [Int64: [TimelineEntry.FrameDelivery]] = [:]
            for row in deliveries {
                framesBySeq[row["seq"]?.integerValue ?? 0, default: []].append(
                    TimelineEntry.FrameDelivery(
                        connectionID: row["connection_id"]?.textValue ?? "",
                        recipientUserID: row["recipient_user_id"]?.textValue ?? "", sentAt: row["sent_at"]?.textValue ?? ""))
            }
            return rows.map { row in
                let seq = row["seq"]?.integerValue ?? 0
                let type = row["type"]?.textValue ?? ""
                let payload = payloads[seq] ?? "{}"
                var entry = TimelineEntry(
                    seq: seq, offsetMs: Int(row["offset_ms"]?.integerValue ?? 0), type: type,
                    agentName: row["agent_name"]?.textValue, toolName: row["tool_name"]?.textValue,
                    detail: Self.detail(type: type, payload: payload), causationSeq: row["causation_seq"]?.integerValue,
                    deliveries: framesBySeq[seq] ?? [])
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
