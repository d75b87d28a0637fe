/// `llm_response`: the language model's answer, with the model that answered, tokens, latency and attempts.
public struct LLMResponded: Codable, Sendable, Hashable {
    /// The agent that asked.
    public var agentName: String
    /// The model that answered (primary or fallback).
    public var model: String
    /// Tokens in the prompt.
    public var promptTokens: Int
    /// Tokens in the answer.
    public var completionTokens: Int
    /// Time from the first attempt to the answer.
    public var latencyMs: Int
    /// Every attempt, the successful one last.
    public var attempts: [LLMAttemptRecord]
    /// The answer's text.
    public var content: String

    enum CodingKeys: String, CodingKey {
        case agentName = "agent_name", model, promptTokens = "prompt_tokens", completionTokens = "completion_tokens",
            latencyMs = "latency_ms", attempts, content
    }

    /// Creates the payload from a response.
    public init(agentName: String, response: LLMResponse) {
        self.agentName = agentName
        self.model = response.model
        self.promptTokens = response.promptTokens
        self.completionTokens = response.completionTokens
        self.latencyMs = response.latencyMs
        self.attempts = response.attempts.map(LLMAttemptRecord.init)
        self.content = response.content
    }
}
