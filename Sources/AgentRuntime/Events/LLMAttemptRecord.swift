/// One attempt of a language-model call as journaled (snake_case keys).
public struct LLMAttemptRecord: Codable, Sendable, Hashable {
    /// The model asked.
    public var model: String
    /// 1 for the first try of a model.
    public var number: Int
    /// `success`, `timeout`, `http_<status>`, `invalid_response`, `transport_error` or `incomplete_stream` (a
    /// streamed answer that ended before `data: [DONE]`).
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
