import Journal
import Synchronization

/// A language model that answers from a recording: the `llm_response` and `llm_failed` events of a run, in order.
///
/// `replay --verify` feeds it to today's code so that the run sees exactly the answers it saw then. When the
/// recording has no answer left, it fails the call (`LLM_UNAVAILABLE`) — or, for a run that was stopped while
/// waiting, waits until cancelled, as the original call did. Start-up recovery gives it the live model to continue
/// with: a resumed run gets the journaled answers first, then real ones.
public final class RecordedLLM: LLMClient {
    /// One recorded answer.
    public enum Answer: Sendable, Hashable {
        /// The model answered.
        case response(LLMResponse)
        /// No attempt produced an answer.
        case failure(LLMError)
    }

    /// The model the recording asked first (from its `llm_request`) while recorded answers remain; then the live
    /// model's, so that the requests made live are journaled with the model that answers them.
    public var modelName: String {
        guard let live, next.withLock({ $0 }) >= answers.count else { return recordedModelName }
        return live.modelName
    }
    private let recordedModelName: String
    /// The model of each recorded `llm_request`, in order.
    private let recordedModels: [String]
    private let answers: [Answer]
    private let waitsWhenExhausted: Bool
    private let live: (any LLMClient)?
    private let next = Mutex(0)

    /// Creates a model that gives `answers` in order, then asks `live` (when given) for the calls after them.
    public convenience init(
        answers: [Answer], modelName: String, waitsWhenExhausted: Bool = false,
        continuingWith live: (any LLMClient)? = nil
    ) {
        self.init(
            answers: answers, modelName: modelName, models: [], waitsWhenExhausted: waitsWhenExhausted,
            continuingWith: live)
    }

    private init(
        answers: [Answer], modelName: String, models: [String], waitsWhenExhausted: Bool,
        continuingWith live: (any LLMClient)?
    ) {
        self.answers = answers
        self.recordedModels = models
        self.recordedModelName = modelName
        self.waitsWhenExhausted = waitsWhenExhausted
        self.live = live
    }

    /// A model answering from a run's recorded events, then from `live` (when given).
    /// - Throws: ``AgentEventError`` when an event does not decode.
    public convenience init(
        recording events: [RecordedEvent], waitsWhenExhausted: Bool = false,
        continuingWith live: (any LLMClient)? = nil
    ) throws {
        var answers: [Answer] = []
        var model: String?
        var models: [String] = []
        for event in events {
            switch try AgentEvent(recorded: event) {
            case .llmRequest(let request):
                model = model ?? request.model
                models.append(request.model)
            case .llmResponse(let response):
                answers.append(
                    .response(
                        LLMResponse(
                            content: response.content, model: response.model, promptTokens: response.promptTokens,
                            completionTokens: response.completionTokens, latencyMs: response.latencyMs,
                            attempts: response.attempts.map(LLMAttempt.init), toolCalls: response.toolCalls ?? [])))
            case .llmFailed(let failed):
                answers.append(
                    .failure(
                        LLMError(
                            code: LLMError.Code(rawValue: failed.errorCode), message: failed.message,
                            attempts: failed.attempts.map(LLMAttempt.init))))
            default:
                continue
            }
        }
        self.init(
            answers: answers, modelName: model ?? live?.modelName ?? "unknown", models: models,
            waitsWhenExhausted: waitsWhenExhausted, continuingWith: live)
    }

    /// The model the recording asked for the next call, while recorded calls remain; then the live model's.
    public func modelName(for request: LLMRequest) -> String {
        let index = next.withLock { $0 }
        if recordedModels.indices.contains(index) { return recordedModels[index] }
        if let live, index >= answers.count { return live.modelName(for: request) }
        return request.model ?? recordedModelName
    }

    /// How many calls it has answered.
    public var callCount: Int { next.withLock { $0 } }

    /// The next recorded answer; past the recording, the live model's answer.
    /// - Throws: the recorded ``LLMError``; `LLM_UNAVAILABLE` when the recording has no answer left and there is no
    ///   live model; `CancellationError` while waiting; the live model's errors.
    public func complete(_ request: LLMRequest) async throws -> LLMResponse {
        try await answer(request, handler: nil)
    }

    /// The next recorded answer, reported as one delta; past the recording, the live model's stream.
    /// - Throws: as ``complete(_:)``.
    public func stream(_ request: LLMRequest, handler: @escaping LLMStreamHandler) async throws -> LLMResponse {
        try await answer(request, handler: handler)
    }

    private func answer(_ request: LLMRequest, handler: LLMStreamHandler?) async throws -> LLMResponse {
        let index = next.withLock { next in
            defer { next += 1 }
            return next
        }
        guard index < answers.count else {
            if let live {
                guard let handler else { return try await live.complete(request) }
                return try await live.stream(request, handler: handler)
            }
            if waitsWhenExhausted {
                try await Task.sleep(for: .seconds(86_400))
            }
            throw LLMError(
                code: .unavailable, message: "the recording has no answer for language-model call \(index + 1)")
        }
        switch answers[index] {
        case .response(let response):
            handler?(.attemptStarted(model: response.model, number: 1, isFallback: false))
            if !response.content.isEmpty { handler?(.delta(response.content)) }
            return response
        case .failure(let error): throw error
        }
    }
}

extension LLMAttempt {
    /// The attempt as journaled.
    init(_ record: LLMAttemptRecord) {
        self.init(model: record.model, number: record.number, outcome: record.outcome, latencyMs: record.latencyMs)
    }
}
