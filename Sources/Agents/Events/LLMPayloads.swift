/// One attempt of a language-model call as journaled (snake_case keys).
public struct LLMAttemptRecord: Codable, Sendable, Hashable {
    /// The model asked.
    public var model: String
    /// 1 for the first try of a model.
    public var number: Int
    /// `success`, `timeout`, `http_<status>`, `invalid_response` or `transport_error`.
    public var outcome: String
    /// How long the attempt took.
    public var latencyMs: Int

    enum CodingKeys: String, CodingKey {
        case model, number, outcome, latencyMs = "latency_ms"
    }

    /// Creates a record from an attempt.
    public init(_ attempt: LLMAttempt) {
        self.model = attempt.model
        self.number = attempt.number
        self.outcome = attempt.outcome
        self.latencyMs = attempt.latencyMs
    }
}

/// `llm_request`: what was sent to the language model.
public struct LLMRequested: Codable, Sendable, Hashable {
    /// The agent asking.
    public var agentName: String
    /// What the call is for (`llm_report_generation`).
    public var purpose: String
    /// The model asked first.
    public var model: String
    /// The conversation sent.
    public var messages: [LLMRequest.Message]

    enum CodingKeys: String, CodingKey {
        case agentName = "agent_name", purpose, model, messages
    }

    /// Creates the payload.
    public init(agentName: String, purpose: String, model: String, messages: [LLMRequest.Message]) {
        self.agentName = agentName
        self.purpose = purpose
        self.model = model
        self.messages = messages
    }
}

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
