import AgentRuntime
import Foundation
import Journal

/// A pattern for the exact event sequence of a run: each element matches one event (``Element/event(_:agent:tool:status:)``,
/// ``Element/any``) or a run of events (``Element/oneOrMore(_:)``, ``Element/zeroOrMore(_:)``).
///
/// ```swift
/// let pattern: EventPattern = [
///     .event("message_received"), .event("agent_started", agent: "supervisor"),
///     .oneOrMore(.event("agent_thinking", agent: "supervisor")), .zeroOrMore(.any),
///     .event("run_completed", status: "completed"),
/// ]
/// ```
public struct EventPattern: Sendable, Hashable, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// One element of a pattern.
    public indirect enum Element: Sendable, Hashable, CustomStringConvertible {
        /// One event of this type, with optional constraints on its agent, tool and status (nil: any).
        case event(String, agent: String? = nil, tool: String? = nil, status: String? = nil)
        /// Exactly one event of any type.
        case any
        /// One or more consecutive events that each match the element (greedy, with backtracking).
        case oneOrMore(Element)
        /// Zero or more consecutive events that each match the element.
        case zeroOrMore(Element)
        /// Zero or one event that matches the element.
        case optional(Element)
        /// Exactly one event that matches any of the elements (each a single-event element).
        case oneOf([Element])

        /// Whether a single event matches this element (for the repeating forms: their inner element).
        public func matches(_ event: EventSummary) -> Bool {
            switch self {
            case .any: true
            case .event(let type, let agent, let tool, let status):
                event.type == type && (agent == nil || event.agent == agent) && (tool == nil || event.tool == tool)
                    && (status == nil || event.status == status)
            case .oneOrMore(let inner), .zeroOrMore(let inner), .optional(let inner): inner.matches(event)
            case .oneOf(let choices): choices.contains { $0.matches(event) }
            }
        }

        /// `type agent tool [status]`, `*`, `(…)+`, `(…)*`, `(…)?`.
        public var description: String {
            switch self {
            case .any: "*"
            case .event(let type, let agent, let tool, let status):
                ([type, agent, tool].compactMap { $0 } + (status.map { ["[\($0)]"] } ?? [])).joined(separator: " ")
            case .oneOrMore(let inner): "(\(inner))+"
            case .zeroOrMore(let inner): "(\(inner))*"
            case .optional(let inner): "(\(inner))?"
            case .oneOf(let choices): "(" + choices.map(\.description).joined(separator: " | ") + ")"
            }
        }

        var minimum: Int {
            switch self {
            case .zeroOrMore, .optional: 0
            default: 1
            }
        }

        var maximum: Int {
            switch self {
            case .oneOrMore, .zeroOrMore: Int.max
            default: 1
            }
        }
    }

    /// The elements, in order.
    public var elements: [Element]

    /// Creates a pattern from elements.
    public init(_ elements: [Element]) {
        self.elements = elements
    }

    /// Creates a pattern from an array literal.
    public init(arrayLiteral elements: Element...) {
        self.elements = elements
    }

    /// The elements, one per line.
    public var description: String { elements.map(\.description).joined(separator: "\n") }

    /// Appends the elements of another pattern.
    public static func + (lhs: EventPattern, rhs: EventPattern) -> EventPattern {
        EventPattern(lhs.elements + rhs.elements)
    }

    /// Matches `events` against the whole pattern; nil when they match, otherwise a readable mismatch.
    public func mismatch(_ events: [EventSummary]) -> PatternMismatch? {
        var memo: [Int: Bool] = [:]
        var furthest = (element: 0, event: 0)
        func match(_ element: Int, _ event: Int) -> Bool {
            let key = element * (events.count + 1) + event
            if let known = memo[key] { return known }
            if event > furthest.event || (event == furthest.event && element > furthest.element) {
                furthest = (element, event)
            }
            let result: Bool
            if element == elements.count {
                result = event == events.count
            } else {
                let current = elements[element]
                var taken = 0
                var candidates: [Int] = []
                if current.minimum == 0 { candidates.append(event) }
                while taken < current.maximum, event + taken < events.count, current.matches(events[event + taken]) {
                    taken += 1
                    if taken >= current.minimum { candidates.append(event + taken) }
                }
                result = candidates.reversed().contains { match(element + 1, $0) }
            }
            memo[key] = result
            return result
        }
        if match(0, 0) { return nil }
        return PatternMismatch(
            pattern: self, actual: events, firstUnmatchedEvent: furthest.event, firstUnmatchedElement: furthest.element)
    }
}

/// The parts of an event a pattern looks at: type, agent, tool, status, and its seq.
public struct EventSummary: Sendable, Hashable, CustomStringConvertible {
    /// The journal sequence (nil for a frame without one).
    public var seq: Int64?
    /// The event or frame type.
    public var type: String
    /// `agent_name`, when it has one.
    public var agent: String?
    /// `tool_name`, when it has one.
    public var tool: String?
    /// `status`, when it has one.
    public var status: String?

    /// Creates a summary.
    public init(seq: Int64? = nil, type: String, agent: String? = nil, tool: String? = nil, status: String? = nil) {
        self.seq = seq
        self.type = type
        self.agent = agent
        self.tool = tool
        self.status = status
    }

    /// The summary of a journal event.
    public init(_ event: RecordedEvent) {
        let payload = (try? JSONValue(parsing: event.payload)) ?? .null
        self.init(
            seq: event.seq, type: event.type, agent: payload["agent_name"]?.stringValue,
            tool: payload["tool_name"]?.stringValue, status: payload["status"]?.stringValue)
    }

    /// The summary of a frame a client received.
    public init(_ frame: TestWebSocketClient.Frame) {
        self.init(
            seq: frame.seq, type: frame.type ?? "?", agent: frame.agentName, tool: frame.toolName,
            status: frame["status"]?.stringValue)
    }

    /// `seq type agent tool [status]`.
    public var description: String {
        let parts = [type, agent, tool].compactMap { $0 } + (status.map { ["[\($0)]"] } ?? [])
        return (seq.map { "\($0) " } ?? "") + parts.joined(separator: " ")
    }
}
