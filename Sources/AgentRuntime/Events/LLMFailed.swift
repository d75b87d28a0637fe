/// `llm_failed`: no attempt of a language-model call produced a usable answer.
public struct LLMFailed: Codable, Sendable, Hashable {
    /// The agent that asked.
    public var agentName: String
    /// `LLM_TIMEOUT`, `LLM_UNAVAILABLE`, `LLM_INVALID_RESPONSE`, `LLM_CANCELLED`.
    public var errorCode: String
    /// A sentence for people.
    public var message: String
    /// Every attempt made.
    public var attempts: [LLMAttemptRecord]

    enum CodingKeys: String, CodingKey {
        case agentName = "agent_name", errorCode = "error_code", message, attempts
    }

    /// Creates the payload.
    public init(agentName: String, errorCode: String, message: String, attempts: [LLMAttemptRecord]) {
        self.agentName = agentName
        self.errorCode = errorCode
        self.message = message
        self.attempts = attempts
    }
}
