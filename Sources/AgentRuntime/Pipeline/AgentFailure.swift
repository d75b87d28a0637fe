/// An agent could not do its work: the runtime journals `agent_error {error_code, message}` then
/// `agent_completed {failed}`, and the planner decides what the run does next.
public struct AgentFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// `TOOL_FAILED`, `TOOL_TIMEOUT`, `AGENT_FAILED`, `TURN_LIMIT`, `TOOL_CALL_BUDGET`, …
    public var code: String
    /// A sentence for people.
    public var message: String

    /// Creates a failure.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// `message [code]`.
    public var description: String { "\(message) [\(code)]" }
}
