import AsyncHTTPClient
import Logging

/// An ``LLMClient`` for any endpoint that speaks OpenAI's chat-completions API (`POST {baseURL}/chat/completions`).
///
/// One call to ``complete(_:)`` asks the primary model up to ``Configuration/attempts`` times, waiting
/// ``Configuration/backoff`` between tries, then asks the fallback model once. Timeouts, transport errors, HTTP 429,
/// HTTP 5xx and unusable answers are retried; any other HTTP status (a 4xx) goes straight to the fallback. Every try
/// is reported as an ``LLMAttempt``, in ``LLMResponse/attempts`` or ``LLMError/attempts``.
///
/// ``stream(_:handler:)`` makes the same attempts with the answer streamed as server-sent events, reporting each
/// attempt and each piece of text as it arrives; its time limits are per wait (to the first byte, then between
/// chunks), and a stream cut off before `data: [DONE]` is retried like any failed attempt.
///
/// ## Who owns the HTTP client
/// The client does not create or shut down an `HTTPClient` of its own: the caller passes one to
/// ``init(configuration:httpClient:logger:backoffSleep:timeLimitClock:)`` and shuts it down (`try await httpClient.shutdown()`)
/// after the last call — typically the process's composition root (the CLI's `serve`). For a scoped lifetime, use
/// ``withClient(configuration:logger:backoffSleep:timeLimitClock:_:)``, which creates an `HTTPClient` on the shared NIO
/// event-loop group and shuts it down when the closure returns or throws.
///
/// The API key is only ever written into the `Authorization` header; it is never logged.
public struct OpenAICompatibleLLM: LLMClient {
    /// Where the endpoint is, which models to ask, and how hard to try.
    public let configuration: Configuration
    /// The HTTP client; owned (and shut down) by whoever created it.
    let httpClient: HTTPClient
    /// Logs each failed attempt (model, attempt number, outcome, latency) — never the key.
    let logger: Logger
    /// Waits between the primary's attempts; injectable so that tests can record the backoff.
    let backoffSleep: @Sendable (Duration) async throws -> Void
    /// The clock the attempts' time limits wait on.
    let timeLimitClock: any TimeLimitClock

    /// Creates a client that sends its calls through `httpClient`.
    ///
    /// - Parameters:
    ///   - configuration: The endpoint, the models and the limits.
    ///   - httpClient: The HTTP client to use; the caller keeps ownership and shuts it down.
    ///   - logger: Where attempt failures are logged.
    ///   - backoffSleep: How to wait between attempts (default `Task.sleep`).
    ///   - timeLimitClock: The clock an attempt's time limits wait on: ``Configuration/timeout`` and, streamed,
    ///     ``Configuration/chunkTimeout`` (default real time). Tests inject a `ManualTimeLimitClock` to pass a limit
    ///     without waiting for it. The HTTP client's own deadline for connecting and the response head stays
    ///     ``Configuration/timeout`` of real time, so a test clock's limits are set well inside it.
    public init(
        configuration: Configuration,
        httpClient: HTTPClient,
        logger: Logger = Logger(label: "goldenpath.llm.openai"),
        backoffSleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        timeLimitClock: any TimeLimitClock = DispatchTimeLimitClock()
    ) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.logger = logger
        self.backoffSleep = backoffSleep
        self.timeLimitClock = timeLimitClock
    }

    /// Runs `body` with a client whose `HTTPClient` lives exactly as long as the call: created on the shared NIO
    /// event-loop group (`HTTPClient.defaultEventLoopGroup`, the `MultiThreadedEventLoopGroup` singleton) and shut
    /// down when `body` returns or throws.
    ///
    /// - Parameters:
    ///   - configuration: The endpoint, the models and the limits.
    ///   - logger: Where attempt failures are logged.
    ///   - backoffSleep: How to wait between attempts (default `Task.sleep`).
    ///   - timeLimitClock: The clock an attempt's time limits wait on (default real time).
    ///   - body: The work that uses the client; the client must not escape it.
    /// - Throws: What `body` throws, or the `HTTPClient`'s shutdown error.
    public static func withClient<Result>(
        configuration: Configuration,
        logger: Logger = Logger(label: "goldenpath.llm.openai"),
        backoffSleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        timeLimitClock: any TimeLimitClock = DispatchTimeLimitClock(),
        _ body: (OpenAICompatibleLLM) async throws -> Result
    ) async throws -> Result {
        try await HTTPClient.withHTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup) { httpClient in
            try await body(
                OpenAICompatibleLLM(
                    configuration: configuration, httpClient: httpClient, logger: logger, backoffSleep: backoffSleep,
                    timeLimitClock: timeLimitClock))
        }
    }

    /// The primary model, the one asked first.
    public var modelName: String { configuration.model }

    /// Answers `request` from the primary model, retrying, then from the fallback model.
    ///
    /// The response's ``LLMResponse/model`` is the configured name of the model that answered (primary or
    /// fallback), and its ``LLMResponse/latencyMs`` runs from the start of the first attempt, backoff included.
    /// - Throws: ``LLMError`` with every attempt when no attempt produced an answer: code
    ///   ``LLMError/Code/timeout`` when every attempt timed out, ``LLMError/Code/invalidResponse`` when every attempt
    ///   got an unusable answer, ``LLMError/Code/unavailable`` otherwise, and ``LLMError/Code/cancelled`` when the
    ///   calling task is cancelled.
    public func complete(_ request: LLMRequest) async throws -> LLMResponse {
        try await call(request) { model, number, _ in await attempt(request, model: model, number: number) }
    }

    /// Makes one call: the primary's attempts with their backoff, then the fallback's one, each made by `attempt`
    /// (given the model, the attempt's number and whether it is the fallback), until one answers.
    /// - Throws: ``LLMError`` as ``complete(_:)`` describes.
    func call(
        _ request: LLMRequest, attempt: (_ model: String, _ number: Int, _ isFallback: Bool) async -> AttemptResult
    ) async throws(LLMError) -> LLMResponse {
        let clock = ContinuousClock()
        let started = clock.now
        var attempts: [LLMAttempt] = []

        func answer(_ completion: Completion, model: String) -> LLMResponse {
            LLMResponse(
                content: completion.content, model: model, promptTokens: completion.promptTokens,
                completionTokens: completion.completionTokens,
                latencyMs: Self.milliseconds(started.duration(to: clock.now)), attempts: attempts,
                toolCalls: completion.toolCalls)
        }
        let primaryModel = request.model ?? configuration.model

        primary: for number in 1...max(1, configuration.attempts) {
            if let delay = configuration.backoff(beforeAttempt: number) {
                do {
                    try await backoffSleep(delay)
                } catch {
                    throw cancelled(attempts)
                }
            }
            try checkCancellation(attempts)
            let result = await attempt(primaryModel, number, false)
            attempts.append(result.record)
            try checkCancellation(attempts)
            if let completion = result.completion { return answer(completion, model: primaryModel) }
            if !result.outcome.isRetryable { break primary }
        }

        if let fallback = configuration.effectiveFallbackModel {
            let result = await attempt(fallback, 1, true)
            attempts.append(result.record)
            try checkCancellation(attempts)
            if let completion = result.completion { return answer(completion, model: fallback) }
        }
        throw Self.failure(attempts)
    }

    /// The error for a call where no attempt answered.
    static func failure(_ attempts: [LLMAttempt]) -> LLMError {
        let outcomes = Set(attempts.map(\.outcome))
        let code: LLMError.Code =
            switch outcomes {
            case [Outcome.timeout.rawValue]: .timeout
            case [Outcome.invalidResponse.rawValue]: .invalidResponse
            default: .unavailable
            }
        let summary = attempts.map { "\($0.model)#\($0.number): \($0.outcome)" }.joined(separator: ", ")
        return LLMError(
            code: code, message: "The language model did not answer after \(attempts.count) attempt(s) (\(summary)).",
            attempts: attempts)
    }

    private func checkCancellation(_ attempts: [LLMAttempt]) throws(LLMError) {
        if Task.isCancelled { throw cancelled(attempts) }
    }

    private func cancelled(_ attempts: [LLMAttempt]) -> LLMError {
        LLMError(code: .cancelled, message: "The language model call was cancelled.", attempts: attempts)
    }

    /// Whole milliseconds in `duration`, rounded down.
    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
