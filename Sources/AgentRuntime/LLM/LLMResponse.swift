/// One try at answering an ``LLMRequest``: which model, how long, how it ended.
public struct LLMAttempt: Sendable, Hashable, Codable {
    /// The model asked.
    public var model: String
    /// 1 for the first try of a model; the fallback model starts at 1 again.
    public var number: Int
    /// `success`, `timeout`, `http_<status>`, `invalid_response`, `transport_error` or `incomplete_stream` (a
    /// streamed answer that ended before `data: [DONE]`).
    public var outcome: String
    /// How long the attempt took.
    public var latencyMs: Int

    /// Creates an attempt record.
    public init(model: String, number: Int, outcome: String, latencyMs: Int) {
        self.model = model
        self.number = number
        self.outcome = outcome
        self.latencyMs = latencyMs
    }
}

/// The answer to an ``LLMRequest``.
public struct LLMResponse: Sendable, Hashable, Codable {
    /// The text of the answer.
    public var content: String
    /// The model that answered (the primary or the fallback).
    public var model: String
    /// Tokens in the prompt, as the model counted them.
    public var promptTokens: Int
    /// Tokens in the answer.
    public var completionTokens: Int
    /// The time from the first attempt to the answer.
    public var latencyMs: Int
    /// Every attempt made, the successful one last.
    public var attempts: [LLMAttempt]
    /// The tools the model asked to call, in its order; empty when it answered with text only.
    public var toolCalls: [LLMToolCall]

    /// Creates a response.
    public init(
        content: String, model: String, promptTokens: Int, completionTokens: Int, latencyMs: Int,
        attempts: [LLMAttempt], toolCalls: [LLMToolCall] = []
    ) {
        self.toolCalls = toolCalls
        self.content = content
        self.model = model
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.latencyMs = latencyMs
        self.attempts = attempts
    }
}

/// No attempt produced an answer.
public struct LLMError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why the call failed, as a value to switch on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let rawValue: String
        /// Every attempt timed out.
        public static let timeout = Code(rawValue: "LLM_TIMEOUT")
        /// The endpoint kept failing (HTTP errors, transport errors).
        public static let unavailable = Code(rawValue: "LLM_UNAVAILABLE")
        /// The endpoint answered something that is not a usable completion.
        public static let invalidResponse = Code(rawValue: "LLM_INVALID_RESPONSE")
        /// The call was cancelled.
        public static let cancelled = Code(rawValue: "LLM_CANCELLED")

        /// The text form, for logs.
        public var description: String { rawValue }
    }

    /// Why the call failed.
    public var code: Code
    /// A sentence for people (no secrets, no stack traces).
    public var message: String
    /// Every attempt made.
    public var attempts: [LLMAttempt]

    /// Creates an error.
    public init(code: Code, message: String, attempts: [LLMAttempt] = []) {
        self.code = code
        self.message = message
        self.attempts = attempts
    }

    /// The text form, for logs.
    public var description: String { "\(message) [\(code)]" }
}
