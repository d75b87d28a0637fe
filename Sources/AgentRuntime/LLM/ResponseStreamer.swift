import Journal

/// Journals one model call's streamed answer as `agent_response_delta` events, coalesced, and announces with
/// `agent_response_reset` the text that did not become the answer.
///
/// The first piece of a response is journaled at once (time to first token is not delayed); what arrives while a
/// window (``AgentsConfiguration/deltaWindow``) is open is journaled as one event when it closes, and what is left
/// when the model is done is journaled before the call's own events (`llm_response`, `llm_failed`). Each attempt the
/// client reports after text of an earlier one was journaled resets that text (`retry` or `fallback`) and streams
/// under a new `response_id`.
///
/// The model's stream is read by a child task that only buffers (``LLMStreamHandler``); this type appends from the
/// calling task, so a slow commit never stalls the model's connection, and cancelling the call (a stop) cancels the
/// stream at once.
struct ResponseStreamer: Sendable {
    let recorder: RunRecorder
    let agentName: String
    /// The cause of every event: the call's `llm_request`.
    let cause: Int64?
    /// Whether an answer is one the caller will use; a text answer it refuses is reset (`failed`), so that the
    /// deltas left standing always add up to an answer that was used.
    var accepts: @Sendable (LLMResponse) -> Bool = { _ in true }
    var window: Duration { recorder.streaming.window }
    var clock: any TimeLimitClock { recorder.streaming.clock }

    /// What reaches the journaling loop, in order.
    private enum Input: Sendable {
        case model(LLMStreamEvent)
        /// The window opened by the `generation`-th journaled delta has closed.
        case windowClosed(generation: Int)
        /// The model call returned or threw.
        case finished
    }

    /// The response being streamed.
    private struct Response {
        /// Nil until its first delta is journaled.
        var id: String?
        var nextChunk = 0
        var buffered = ""
        /// Bumped for each journaled delta: a window's close only counts for the delta that opened it.
        var generation = 0
        var windowOpen = false
    }

    /// Runs `call` (the model's stream), journaling its deltas; returns its response once everything it streamed
    /// is journaled — and reset, when the turn ended in tool calls.
    /// - Throws: the call's error, after resetting what it streamed (`failed`); `CancellationError`;
    ///   `JournalError`.
    func run(
        _ call: @escaping @Sendable (@escaping LLMStreamHandler) async throws -> LLMResponse
    ) async throws -> LLMResponse {
        let started = ContinuousClock.now
        let (inputs, continuation) = AsyncStream<Input>.makeStream()
        return try await withThrowingTaskGroup(of: LLMResponse?.self) { group in
            group.addTask {
                defer { continuation.yield(.finished) }
                return try await call { continuation.yield(.model($0)) }
            }
            var response = Response()
            var attempts = 0
            loop: for await input in inputs {
                switch input {
                case .model(.attemptStarted(_, _, let isFallback)):
                    attempts += 1
                    guard attempts > 1 else { continue }
                    try await reset(&response, reason: isFallback ? .fallback : .retry)
                case .model(.delta(let text)):
                    guard !text.isEmpty else { continue }
                    response.buffered += text
                    guard !response.windowOpen else { continue }
                    let first = response.id == nil
                    try await flush(&response, group: &group, continuation: continuation)
                    if first, response.id != nil { recorder.streaming.onFirstDelta(started.duration(to: .now)) }
                case .windowClosed(let generation):
                    guard generation == response.generation else { continue }
                    response.windowOpen = false
                    if !response.buffered.isEmpty {
                        try await flush(&response, group: &group, continuation: continuation)
                    }
                case .finished:
                    break loop
                }
            }
            continuation.finish()
            // The model is done: close the open window's timer, collect the answer (or the call's error).
            var answer: LLMResponse?
            do {
                while let next = try await group.next() {
                    if let next {
                        answer = next
                        group.cancelAll()
                    }
                }
            } catch {
                group.cancelAll()
                try Task.checkCancellation()
                if !(error is JournalError) { try await reset(&response, reason: .failed) }
                throw error
            }
            guard let answer else { throw CancellationError() }
            if !response.buffered.isEmpty { try await journal(&response) }
            if !answer.toolCalls.isEmpty {
                try await reset(&response, reason: .toolCalls)
            } else if !accepts(answer) {
                try await reset(&response, reason: .failed)
            }
            return answer
        }
    }

    /// Journals what is buffered and opens a window that closes after ``window``.
    private func flush(
        _ response: inout Response, group: inout ThrowingTaskGroup<LLMResponse?, any Error>,
        continuation: AsyncStream<Input>.Continuation
    ) async throws {
        try await journal(&response)
        guard window > .zero else { return }
        response.windowOpen = true
        let generation = response.generation
        let clock = clock
        let window = window
        group.addTask {
            if await clock.sleep(for: window) { continuation.yield(.windowClosed(generation: generation)) }
            return nil
        }
    }

    /// Appends the buffered text as the response's next delta.
    private func journal(_ response: inout Response) async throws {
        let text = response.buffered
        response.buffered = ""
        guard let id = response.id ?? recorder.nextResponseID() else { return }  // reproducing: journaled already
        response.id = id
        try await recorder.recordStreamed(
            .agentResponseDelta(
                AgentResponseDelta(agentName: agentName, responseID: id, delta: text, chunkIndex: response.nextChunk)),
            eventID: "\(id):\(response.nextChunk)", causedBy: cause)
        response.nextChunk += 1
        response.generation += 1
    }

    /// Resets the response when some of it was journaled (dropping what is buffered), and starts a new one.
    private func reset(_ response: inout Response, reason: AgentResponseReset.Reason) async throws {
        defer {
            // A window opened for the old response must not count for the new one.
            let generation = response.generation
            response = Response()
            response.generation = generation
        }
        guard let id = response.id else { return }
        try await recorder.recordStreamed(
            .agentResponseReset(AgentResponseReset(agentName: agentName, responseID: id, reason: reason)),
            eventID: "\(id):reset", causedBy: cause)
    }
}

/// How a run's streamed answers are journaled: ``AgentsConfiguration/deltaWindow`` on
/// ``AgentsConfiguration/deltaClock``.
struct StreamingPolicy: Sendable {
    var window: Duration
    var clock: any TimeLimitClock
    var onFirstDelta: @Sendable (Duration) -> Void

    init(_ configuration: AgentsConfiguration = AgentsConfiguration()) {
        window = configuration.deltaWindow
        clock = configuration.deltaClock
        onFirstDelta = configuration.onFirstDelta
    }
}
