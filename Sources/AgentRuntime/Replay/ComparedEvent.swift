import Foundation
import Journal

/// An event as `replay --verify` compares it: its type, agent, tool and payload without the values that change
/// from one execution to the next (ids, timestamps, durations, sequence numbers).
public struct ComparedEvent: Sendable, Hashable, Codable {
    /// The payload keys left out of the comparison, at any depth.
    public static let ignoredKeys: Set<String> = [
        "run_id", "thread_id", "client_message_id", "execution_id", "instance_id", "duration_ms", "latency_ms",
        "last_seq",
    ]

    /// The event's position in its run's stream (1-based).
    public var position: Int
    /// Its sequence number (not compared).
    public var seq: Int64
    /// Its type.
    public var type: String
    /// Its agent, when one applies.
    public var agentName: String?
    /// Its tool, when one applies.
    public var toolName: String?
    /// The payload without the ignored keys.
    public var payload: JSONValue

    enum CodingKeys: String, CodingKey {
        case position, seq, type, agentName = "agent_name", toolName = "tool_name", payload
    }

    /// The compared form of a recorded event at `position` in its run.
    public init(_ event: RecordedEvent, position: Int) {
        self.init(type: event.type, payload: event.payload, seq: event.seq, position: position)
    }

    /// The compared form of an event about to be appended (its `seq` is 0).
    public init(_ event: NewEvent, position: Int) {
        self.init(type: event.type, payload: event.payload, seq: 0, position: position)
    }

    private init(type: String, payload text: String, seq: Int64, position: Int) {
        self.position = position
        self.seq = seq
        self.type = type
        let decoded = (try? JSONValue(parsing: text)) ?? .string(text)
        payload = Self.stripped(decoded)
        agentName = payload["agent_name"]?.stringValue
        toolName = payload["tool_name"]?.stringValue
    }

    /// The compared fields that differ between two events (`type`, `payload.results.report`, …); empty when equal.
    ///
    /// An `agent_completed` journaled before pipelines had a run state has no `state`; the re-execution's state
    /// is then left out too, so that runs recorded by older code still verify.
    public static func differences(_ expected: ComparedEvent, _ actual: ComparedEvent) -> [String] {
        var fields: [String] = []
        if expected.type != actual.type { fields.append("type") }
        var actualPayload = actual.payload
        // Journals from before a field existed: the run state of `agent_completed`, the streamed text of an
        // `llm_response` (``steps(of:)``) — not compared when the recording lacks it.
        for key in ["state", streamedTextKey] where expected.payload[key] == nil {
            if case .object(var members) = actualPayload {
                members[key] = nil
                actualPayload = .object(members)
            }
        }
        differences(expected.payload, actualPayload, path: "payload", into: &fields)
        return fields
    }

    /// The value of a compared field named as in ``Divergence/fields`` (`type`, `payload.results.report`,
    /// `payload.messages[1].content`), or nil when the event has no such field.
    public func value(at field: String) -> JSONValue? {
        if field == "type" { return .string(type) }
        guard field == "payload" || field.hasPrefix("payload.") || field.hasPrefix("payload[") else { return nil }
        var current: JSONValue? = payload
        var rest = Substring(field.dropFirst("payload".count))
        while let next = rest.first, let value = current {
            if next == "." {
                rest = rest.dropFirst()
                let key = rest.prefix { $0 != "." && $0 != "[" }
                rest = rest.dropFirst(key.count)
                current = value[String(key)]
            } else if next == "[" {
                let digits = rest.dropFirst().prefix { $0 != "]" }
                rest = rest.dropFirst(digits.count + 2)
                guard let index = Int(digits), let array = value.arrayValue, array.indices.contains(index) else {
                    return nil
                }
                current = array[index]
            } else {
                return nil
            }
        }
        return current
    }

    private static func differences(_ lhs: JSONValue, _ rhs: JSONValue, path: String, into fields: inout [String]) {
        guard lhs != rhs else { return }
        switch (lhs, rhs) {
        case (.object(let left), .object(let right)):
            for key in Set(left.keys).union(right.keys).sorted() {
                differences(left[key] ?? .null, right[key] ?? .null, path: "\(path).\(key)", into: &fields)
            }
        case (.array(let left), .array(let right)) where left.count == right.count:
            for index in left.indices {
                differences(left[index], right[index], path: "\(path)[\(index)]", into: &fields)
            }
        default:
            fields.append(path)
        }
    }

    private static func stripped(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var kept: [String: JSONValue] = [:]
            for (key, member) in members where !ignoredKeys.contains(key) {
                kept[key] = stripped(member)
            }
            return .object(kept)
        case .array(let elements):
            return .array(elements.map(stripped))
        case .null, .bool, .number, .string:
            return value
        }
    }
}

extension ComparedEvent {
    /// The key under which ``steps(of:)`` puts an `llm_response`'s streamed text.
    public static let streamedTextKey = "streamed_text"

    /// A run's events as compared position by position: the streamed-answer events
    /// (``EventType/isStreamedAnswer``) are left out — how many deltas a response takes depends on timing — and
    /// each `llm_response` carries, under ``streamedTextKey``, the text its call streamed and did not reset, so
    /// that a response is compared by its text.
    public static func steps(of events: [RecordedEvent]) -> [ComparedEvent] {
        // A delta names its call (causation: the llm_request); a reset names the response (unique in the run).
        var text: [String: String] = [:]  // response id → text
        var order: [Int64: [String]] = [:]  // llm_request seq → its response ids
        var reset: Set<String> = []
        for event in events where EventType.streamedAnswerTypes.contains(event.type) {
            switch try? AgentEvent(recorded: event) {
            case .agentResponseDelta(let delta):
                if text[delta.responseID] == nil, let call = event.causationSeq {
                    order[call, default: []].append(delta.responseID)
                }
                text[delta.responseID, default: ""] += delta.delta
            case .agentResponseReset(let payload):
                reset.insert(payload.responseID)
            default:
                continue
            }
        }
        var steps: [ComparedEvent] = []
        for event in events where !EventType.streamedAnswerTypes.contains(event.type) {
            var step = ComparedEvent(event, position: steps.count + 1)
            if event.type == EventType.llmResponse.rawValue, case .object(var members) = step.payload {
                // A call that streamed nothing (or a journal from before streaming) carries no streamed text.
                guard let all = event.causationSeq.flatMap({ order[$0] }) else {
                    steps.append(step)
                    continue
                }
                let responses = all.filter { !reset.contains($0) }
                members[streamedTextKey] = .string(responses.map { text[$0] ?? "" }.joined())
                step.payload = .object(members)
            }
            steps.append(step)
        }
        return steps
    }
}
