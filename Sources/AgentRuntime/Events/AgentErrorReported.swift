/// `agent_error` (frame): an agent failed; `agent_completed {failed|timeout}` follows.
public struct AgentErrorReported: Codable, Sendable, Hashable {
    /// The agent.
    public var agentName: String
    /// `TOOL_FAILED`, `TOOL_TIMEOUT`, `AGENT_TIMEOUT`, `AGENT_FAILED`, `LLM_UNAVAILABLE`, …
    public var errorCode: String
    /// A sentence for people (no stack traces, no file paths).
    public var message: String

    enum CodingKeys: String, CodingKey {
        case agentName = "agent_name", errorCode = "error_code", message
    }

    /// Creates the payload.
    public init(agentName: String, errorCode: String, message: String) {
        self.agentName = agentName
        self.errorCode = errorCode
        self.message = message
    }
}
