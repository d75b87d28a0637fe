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
    /// The answer's text (empty when the model only called tools).
    public var content: String
    /// The tools the model asked to call, in its order, their secret arguments redacted; absent when none.
    public var toolCalls: [LLMToolCall]?

    enum CodingKeys: String, CodingKey {
        case agentName = "agent_name", model, promptTokens = "prompt_tokens", completionTokens = "completion_tokens",
            latencyMs = "latency_ms", attempts, content, toolCalls = "tool_calls"
    }

    /// Creates the payload from a response (its tool calls as given: redact them first).
    public init(agentName: String, response: LLMResponse) {
        self.agentName = agentName
        self.model = response.model
        self.promptTokens = response.promptTokens
        self.completionTokens = response.completionTokens
        self.latencyMs = response.latencyMs
        self.attempts = response.attempts.map(LLMAttemptRecord.init)
        self.content = response.content
        self.toolCalls = response.toolCalls.isEmpty ? nil : response.toolCalls
    }
}
