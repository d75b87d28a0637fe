import AgentRuntime
import Foundation
import GoldenPathTesting
import Synchronization
import Testing

/// `OpenAICompatibleLLM.stream(_:handler:)` against the stub over real HTTP: server-sent events in any pieces, the
/// usage chunk, tool-call deltas, streams cut off (retried, fallen back, failed), the two time limits, cancellation.
@Suite("OpenAICompatibleLLM streaming")
struct OpenAIStreamingTests {
    typealias StreamStep = StubLLMServer.StreamStep
    typealias SSE = StubLLMServer.SSE

    static let request = OpenAICompatibleLLMTests.request

    /// What a handler received, in order.
    final class StreamLog: Sendable {
        private let events = Mutex<[LLMStreamEvent]>([])
        private let onEvent: @Sendable (LLMStreamEvent) -> Void

        init(onEvent: @escaping @Sendable (LLMStreamEvent) -> Void = { _ in }) { self.onEvent = onEvent }

        var all: [LLMStreamEvent] { events.withLock { $0 } }
        /// The deltas' text, in order.
        var deltas: [String] {
            all.compactMap { if case .delta(let text) = $0 { text } else { nil } }
        }
        var handler: LLMStreamHandler {
            { event in
                self.events.withLock { $0.append(event) }
                self.onEvent(event)
            }
        }
    }

    /// The non-streaming suite, whose helpers these tests share.
    let base = OpenAICompatibleLLMTests()

    /// Runs `body` with a client pointed at `server` (primary `primary`, fallback `fallback` unless changed),
    /// recording backoff waits instead of sleeping; the time limits wait on `clock` (by default one that no one
    /// advances: no limit passes).
    func withLLM<Result>(
        _ server: StubLLMServer, backoff: OpenAICompatibleLLMTests.BackoffRecorder = .init(),
        clock: any TimeLimitClock = ManualTimeLimitClock(),
        _ configure: (inout OpenAICompatibleLLM.Configuration) -> Void = { _ in },
        _ body: (OpenAICompatibleLLM) async throws -> Result
    ) async throws -> Result {
        try await base.withLLM(server, backoff: backoff, clock: clock, configure, body)
    }

    func summary(_ attempts: [LLMAttempt]) -> [String] { base.summary(attempts) }

    func llmError(_ operation: () async throws -> LLMResponse) async -> LLMError? { await base.llmError(operation) }

    /// The `LLMError` of a streamed call to `server` without a fallback model, configured by `configure`.
    func streamError(
        _ server: StubLLMServer, handler: @escaping LLMStreamHandler = { _ in },
        clock: any TimeLimitClock = ManualTimeLimitClock(),
        configure: @escaping (inout OpenAICompatibleLLM.Configuration) -> Void = { _ in }
    ) async -> LLMError? {
        await llmError {
            try await withLLM(
                server, clock: clock,
                {
                    $0.fallbackModel = nil
                    configure(&$0)
                }
            ) { try await $0.stream(Self.request, handler: handler) }
        }
    }

    static func started(_ model: String, _ number: Int, fallback: Bool = false) -> LLMStreamEvent {
        .attemptStarted(model: model, number: number, isFallback: fallback)
    }

    /// A chunk whose content is `text`, written by hand (no builder) as `data:<json>` without the space.
    static func rawContent(_ text: String, space: Bool = true) -> String {
        let json = #"{"choices":[{"index":0,"delta":{"content":"\#(text)"},"finish_reason":null}]}"#
        return "data:\(space ? " " : "")\(json)"
    }

    // MARK: - Reading the stream

    @Test("a streamed answer: each token a delta as it arrives, the usage chunk, the request asks for a stream")
    func streamedAnswer() async throws {
        try await withStubLLMServer { server in
            server.script(
                [
                    .stream(
                        [.write(SSE.role())] + StreamStep.tokens(["Hel", "lo", ", wor", "ld."])
                            + [.write(SSE.finish("stop")), .usage(promptTokens: 42, completionTokens: 4), .done])
                ], forModel: "primary")
            let log = StreamLog()
            let response = try await withLLM(server) { try await $0.stream(Self.request, handler: log.handler) }

            #expect(log.all == [Self.started("primary", 1), .delta("Hel"), .delta("lo"), .delta(", wor"), .delta("ld.")])
            #expect(response.content == "Hello, world.")
            #expect(response.model == "primary")
            #expect(response.promptTokens == 42)
            #expect(response.completionTokens == 4)
            #expect(response.toolCalls.isEmpty)
            #expect(summary(response.attempts) == ["primary#1:success"])

            let sent = try #require(server.requests.first)
            #expect(server.requests.count == 1)
            #expect(sent.stream)
            #expect(sent.includeUsage)
            #expect(sent.authorization == "Bearer sk-test-secret")
            #expect(sent.messages == Self.request.messages)
        }
    }

    @Test(
        "a delta reaches the handler before the next token is sent (nothing is buffered to the end)",
        .timeLimit(.minutes(5)))
    func deltasAreNotBuffered() async throws {
        try await withStubLLMServer { server in
            let firstSeen = Gate()
            server.script(
                [
                    .stream(
                        StreamStep.tokens(["first"])
                            + [.waitUntil { try? await firstSeen.wait() }]
                            + StreamStep.tokens([" second"]) + [.done])
                ], forModel: "primary")
            let log = StreamLog { event in if event == .delta("first") { firstSeen.open() } }
            // Deltas held back to the end would leave the stub waiting, and the test would hang to its time limit.
            let response = try await withLLM(server, { $0.attempts = 1 }) {
                try await $0.stream(Self.request, handler: log.handler)
            }
            #expect(response.content == "first second")
            #expect(log.deltas == ["first", " second"])
        }
    }

    @Test("CRLF and bare line ends, comments, data without a space, multi-line data, other fields")
    func lineFormats() async throws {
        let body =
            ": this is a comment\r\n\r\n"
            + Self.rawContent("A", space: false) + "\r\n\r\n"
            + "data: {\"choices\":\r\ndata: [{\"index\":0,\"delta\":{\"content\":\"B\"}}]}\r\n\r\n"
            + "event: message\nid: 7\nretry: 100\n" + Self.rawContent("C") + "\n\n"
            + ":keep-alive\n\n"
            + Self.rawContent("D") + "\r\r"
            + SSE.usage(promptTokens: 3, completionTokens: 4).replacingOccurrences(of: "\n", with: "\r\n")
            + "data:[DONE]\r\n\r\n"
        try await withStubLLMServer { server in
            server.script([.stream([.write(body)])], forModel: "primary")
            let log = StreamLog()
            let response = try await withLLM(server) { try await $0.stream(Self.request, handler: log.handler) }
            #expect(log.deltas == ["A", "B", "C", "D"])
            #expect(response.content == "ABCD")
            #expect(response.promptTokens == 3)
            #expect(response.completionTokens == 4)
        }
    }

    /// A body with multi-byte characters, CRLF, comments, a role chunk and a usage chunk.
    static let splitBody =
        (": hello\r\n\r\n" + SSE.role() + SSE.content("Grüße") + SSE.content(", ") + SSE.content("wörld 🌍")
            + SSE.finish("stop") + SSE.usage(promptTokens: 9, completionTokens: 3)
            + SSE.done).replacingOccurrences(of: "\n", with: "\r\n")

    @Test("the same body cut in two at every byte offset is read the same, over HTTP")
    func everySplitPosition() async throws {
        let length = Self.splitBody.utf8.count
        try await withStubLLMServer { server in
            try await withLLM(server) { llm in
                for offset in 1..<length {
                    let pieces = StreamStep.split(Self.splitBody, at: [offset])
                    // A pause between the pieces, so that the client reads them separately.
                    server.script([.stream([pieces[0], .pause(.milliseconds(1)), pieces[1]])], forModel: "primary")
                    let log = StreamLog()
                    let response = try await llm.stream(Self.request, handler: log.handler)
                    #expect(response.content == "Grüße, wörld 🌍", "cut at \(offset)")
                    #expect(log.deltas.joined() == "Grüße, wörld 🌍", "cut at \(offset)")
                    #expect(response.promptTokens == 9 && response.completionTokens == 3, "cut at \(offset)")
                }
            }
            #expect(server.requests.count == length - 1)
        }
    }

    @Test("the same body cut at many random offsets is read the same, over HTTP")
    func randomSplits() async throws {
        var generator = SystemRandomNumberGenerator()  // each failure message names its cuts
        let length = Self.splitBody.utf8.count
        try await withStubLLMServer { server in
            try await withLLM(server) { llm in
                for round in 0..<40 {
                    let count = Int.random(in: 2...40, using: &generator)
                    let offsets = (0..<count).map { _ in Int.random(in: 1..<length, using: &generator) }
                    let steps = StreamStep.split(Self.splitBody, at: offsets).flatMap {
                        [$0, StreamStep.pause(.microseconds(300))]
                    }
                    server.script([.stream(steps)], forModel: "primary")
                    let response = try await llm.stream(Self.request, handler: { _ in })
                    #expect(response.content == "Grüße, wörld 🌍", "round \(round), cuts \(offsets.sorted())")
                }
            }
        }
    }

    @Test("tool-call deltas of two parallel calls, interleaved, are put together per index")
    func parallelToolCalls() async throws {
        let steps: [StreamStep] = [
            .write(SSE.role()),
            .write(SSE.content("Checking both.")),
            .write(SSE.toolCall(index: 0, id: "call_a", name: "get_weather", arguments: "")),
            .write(SSE.toolCall(index: 1, id: "call_b", name: "get_time", arguments: "")),
            .write(SSE.toolCall(index: 0, arguments: #"{"city":"#)),
            .write(SSE.toolCall(index: 1, arguments: #"{"zone":"UTC"}"#)),
            .write(SSE.toolCall(index: 0, arguments: #""Oslo"}"#)),
            .write(SSE.finish("tool_calls")), .usage(promptTokens: 20, completionTokens: 12), .done,
        ]
        try await withStubLLMServer { server in
            server.script([.stream(steps)], forModel: "primary")
            let log = StreamLog()
            let response = try await withLLM(server) { try await $0.stream(Self.request, handler: log.handler) }
            #expect(
                response.toolCalls == [
                    LLMToolCall(id: "call_a", name: "get_weather", arguments: #"{"city":"Oslo"}"#),
                    LLMToolCall(id: "call_b", name: "get_time", arguments: #"{"zone":"UTC"}"#),
                ])
            #expect(response.content == "Checking both.")
            #expect(log.deltas == ["Checking both."])
            #expect(response.completionTokens == 12)
        }
    }

    @Test("a server that numbers both parallel calls 0: the calls are split by id")
    func indexZeroReusedSplitById() async throws {
        let calls = [
            LLMToolCall(id: "call_1", name: "lookup_order", arguments: #"{"order_id":"A-17","verbose":true}"#),
            LLMToolCall(id: "call_2", name: "lookup_order", arguments: #"{"order_id":"B-42"}"#),
        ]
        try await withStubLLMServer { server in
            server.script(
                [
                    .stream(
                        StreamStep.toolCalls(calls, argumentPieces: 3, reusingIndexZero: true)
                            + [.write(SSE.finish("tool_calls")), .done])
                ], forModel: "primary")
            let log = StreamLog()
            let response = try await withLLM(server) { try await $0.stream(Self.request, handler: log.handler) }
            #expect(response.toolCalls == calls)
            #expect(response.content == "")
            #expect(log.all == [Self.started("primary", 1)])
        }
    }

    @Test("existing scripts stream too: an answer word by word, tool calls as deltas")
    func existingBehavioursStream() async throws {
        let call = LLMToolCall(id: "call_9", name: "search", arguments: #"{"q":"GoldenPath"}"#)
        try await withStubLLMServer { server in
            server.script(
                [.answer("Three little words", promptTokens: 8, completionTokens: 3), .toolCalls([call])],
                forModel: "primary")
            let log = StreamLog()
            let (answer, calls) = try await withLLM(server) { llm in
                (
                    try await llm.stream(Self.request, handler: log.handler),
                    try await llm.stream(Self.request, handler: { _ in })
                )
            }
            #expect(log.deltas == ["Three ", "little ", "words"])
            #expect(answer.content == "Three little words")
            #expect(answer.promptTokens == 8 && answer.completionTokens == 3)
            #expect(calls.toolCalls == [call])
        }
    }

    @Test("an endpoint that answers a streamed request with one JSON completion is read as such")
    func jsonAnswerToStreamedRequest() async throws {
        let completion =
            #"{"choices":[{"index":0,"message":{"role":"assistant","content":"Whole at once."}}],"#
            + #""usage":{"prompt_tokens":6,"completion_tokens":3}}"#
        try await withStubLLMServer { server in
            server.script([.garbage(completion)], forModel: "primary")
            let log = StreamLog()
            let response = try await withLLM(server) { try await $0.stream(Self.request, handler: log.handler) }
            #expect(log.all == [Self.started("primary", 1), .delta("Whole at once.")])
            #expect(response.promptTokens == 6)
        }
    }

    @Test("with streaming off, stream makes complete's calls and reports each answer as one delta")
    func streamingOff() async throws {
        try await withStubLLMServer { server in
            server.script([.status(503), .answer("Not streamed.")], forModel: "primary")
            let log = StreamLog()
            let response = try await withLLM(server, { $0.streaming = false }) {
                try await $0.stream(Self.request, handler: log.handler)
            }
            #expect(log.all == [Self.started("primary", 1), Self.started("primary", 2), .delta("Not streamed.")])
            #expect(response.content == "Not streamed.")
            #expect(server.requests.map(\.stream) == [false, false])
        }
    }

    // MARK: - Failures

    @Test("an HTTP error before streaming keeps its classification: 500 retried, 400 to the fallback")
    func httpErrorsBeforeStreaming() async throws {
        try await withStubLLMServer { server in
            server.script([.status(500), .status(400)], forModel: "primary")
            server.script([.answer("From the fallback.")], forModel: "fallback")
            let backoff = OpenAICompatibleLLMTests.BackoffRecorder()
            let log = StreamLog()
            let response = try await withLLM(server, backoff: backoff) {
                try await $0.stream(Self.request, handler: log.handler)
            }
            #expect(summary(response.attempts) == ["primary#1:http_500", "primary#2:http_400", "fallback#1:success"])
            #expect(
                log.all == [
                    Self.started("primary", 1), Self.started("primary", 2), Self.started("fallback", 1, fallback: true),
                    .delta("From "), .delta("the "), .delta("fallback."),
                ])
            #expect(response.model == "fallback")
            #expect(backoff.waits == [.milliseconds(200)])
        }
    }

    @Test("a stream cut off mid-answer is retried: two attempts reported, the content is the second's")
    func cutOffThenRetried() async throws {
        try await withStubLLMServer { server in
            server.script(
                [
                    .stream(StreamStep.tokens(["Half ", "an "]) + [.cutOff] + StreamStep.tokens(["answer"])),
                    .stream(StreamStep.tokens(["A whole ", "answer."]) + [.done]),
                ], forModel: "primary")
            let backoff = OpenAICompatibleLLMTests.BackoffRecorder()
            let log = StreamLog()
            let response = try await withLLM(server, backoff: backoff) {
                try await $0.stream(Self.request, handler: log.handler)
            }
            #expect(
                log.all == [
                    Self.started("primary", 1), .delta("Half "), .delta("an "),
                    Self.started("primary", 2), .delta("A whole "), .delta("answer."),
                ])
            #expect(response.content == "A whole answer.")
            #expect(summary(response.attempts) == ["primary#1:incomplete_stream", "primary#2:success"])
            #expect(backoff.waits == [.milliseconds(200)])
        }
    }

    @Test("a stream that ends without [DONE] (the body simply ends) is incomplete too")
    func endsWithoutDone() async throws {
        try await withStubLLMServer { server in
            server.script(
                [.stream(StreamStep.tokens(["No ", "end"])), .stream(StreamStep.tokens(["Done."]) + [.done])],
                forModel: "primary")
            let response = try await withLLM(server) { try await $0.stream(Self.request, handler: { _ in }) }
            #expect(summary(response.attempts) == ["primary#1:incomplete_stream", "primary#2:success"])
            #expect(response.content == "Done.")
        }
    }

    @Test("cut off with no attempts left: the fallback answers")
    func cutOffThenFallback() async throws {
        let cut = StubLLMServer.Behaviour.stream(StreamStep.tokens(["Lost"]) + [.cutOff])
        try await withStubLLMServer { server in
            server.script([cut, cut], forModel: "primary")
            server.script([.stream(StreamStep.tokens(["Saved."]) + [.done])], forModel: "fallback")
            let log = StreamLog()
            let response = try await withLLM(server, { $0.attempts = 2 }) {
                try await $0.stream(Self.request, handler: log.handler)
            }
            #expect(
                log.all == [
                    Self.started("primary", 1), .delta("Lost"), Self.started("primary", 2), .delta("Lost"),
                    Self.started("fallback", 1, fallback: true), .delta("Saved."),
                ])
            #expect(
                summary(response.attempts) == [
                    "primary#1:incomplete_stream", "primary#2:incomplete_stream", "fallback#1:success",
                ])
            #expect(response.model == "fallback")
        }
    }

    @Test("cut off every time and no fallback: a clean LLMError with every attempt")
    func cutOffFails() async throws {
        try await withStubLLMServer(
            defaultBehaviour: .stream(StreamStep.tokens(["Lost"]) + [.cutOff])
        ) { server in
            let error = await streamError(server)
            #expect(error?.code == .unavailable)
            #expect(
                summary(error?.attempts ?? []) == [
                    "primary#1:incomplete_stream", "primary#2:incomplete_stream", "primary#3:incomplete_stream",
                ])
        }
    }

    @Test("an event that is not a chunk, an error event, or an empty answer are invalid_response")
    func invalidStreams() async throws {
        try await withStubLLMServer { server in
            server.script(
                [
                    .stream([.write("data: {not json\n\n"), .done]),
                    .stream([.write(SSE.event(json: #"{"error":{"message":"overloaded"}}"#)), .done]),
                    .stream([.write(SSE.role()), .write(SSE.content("  ")), .done]),
                ], forModel: "primary")
            let error = await streamError(server)
            #expect(error?.code == .invalidResponse)
            #expect(
                summary(error?.attempts ?? []) == [
                    "primary#1:invalid_response", "primary#2:invalid_response", "primary#3:invalid_response",
                ])
        }
    }

    // MARK: - Time limits

    @Test(
        "no first byte within timeout: the attempt times out (head sent, body late, or head late)",
        .timeLimit(.minutes(5)))
    func firstByteTimeout() async throws {
        try await withStubLLMServer { server in
            server.script(
                [
                    .stream([.waitForClientClose] + StreamStep.tokens(["Late"]) + [.done]),
                    .delay(.seconds(900), then: .answer("Late too.")),
                ], forModel: "primary")
            let clock = ManualTimeLimitClock()
            // The HTTP client's real deadline for the head (600 s) is beyond the suite's time limit: a limit not
            // measured on the clock hangs the test.
            async let failure = streamError(
                server, clock: clock,
                configure: {
                    $0.timeout = .seconds(600)
                    $0.chunkTimeout = .seconds(900)
                    $0.attempts = 2
                })
            for count in 1...2 {
                try await server.waitForRequests(count: count)
                await clock.waitForSleeper(dueWithin: .seconds(600))
                clock.advance(by: .seconds(600))
            }
            let error = await failure
            #expect(error?.code == .timeout)
            #expect(summary(error?.attempts ?? []) == ["primary#1:timeout", "primary#2:timeout"])
        }
    }

    @Test(
        "a gap between chunks longer than chunkTimeout times the attempt out; the text before was reported",
        .timeLimit(.minutes(5)))
    func betweenChunksTimeout() async throws {
        try await withStubLLMServer { server in
            server.script(
                [.stream(StreamStep.tokens(["Early"]) + [.waitForClientClose] + StreamStep.tokens(["late"]))],
                forModel: "primary")
            let clock = ManualTimeLimitClock()
            let early = Gate()
            let log = StreamLog { event in if event == .delta("Early") { early.open() } }
            async let failure = streamError(
                server, handler: log.handler, clock: clock,
                configure: {
                    $0.timeout = .seconds(600)
                    $0.chunkTimeout = .seconds(10)
                    $0.attempts = 1
                })
            try await early.wait()
            // The chunk limit (10 s) ends the attempt, long before the first-byte limit (600 s).
            await clock.waitForSleeper(dueWithin: .seconds(10))
            clock.advance(by: .seconds(10))
            let error = await failure
            #expect(error?.code == .timeout)
            #expect(summary(error?.attempts ?? []) == ["primary#1:timeout"])
            #expect(log.all == [Self.started("primary", 1), .delta("Early")])
            #expect(clock.now == .seconds(10))
        }
    }

    @Test(
        "a slow but steady stream, longer in total than both limits, does not time out", .timeLimit(.minutes(5)))
    func slowButSteady() async throws {
        // Each gap is 90 s of the test's clock, the limits are 100 s, and the whole stream takes 720 s. (The HTTP
        // client's real deadline for the head is the first-byte limit too: 100 s is out of a loaded machine's reach.)
        let tokens = (1...8).map { "t\($0) " }
        let gates = tokens.map { _ in Gate() }
        let steps = zip(tokens, gates).flatMap { token, gate in
            [StreamStep.waitUntil { try? await gate.wait() }] + StreamStep.tokens([token])
        }
        try await withStubLLMServer { server in
            server.script([.stream(steps + [.done])], forModel: "primary")
            let clock = ManualTimeLimitClock()
            let seen = Mutex(0)
            let arrived = tokens.map { _ in Gate() }
            let log = StreamLog { event in
                guard case .delta = event else { return }
                let index = seen.withLock { count in
                    defer { count += 1 }
                    return count
                }
                if index < arrived.count { arrived[index].open() }
            }
            async let answer = withLLM(
                server, clock: clock,
                {
                    $0.timeout = .seconds(100)
                    $0.chunkTimeout = .seconds(100)
                    $0.attempts = 1
                }
            ) { try await $0.stream(Self.request, handler: log.handler) }
            for index in tokens.indices {
                clock.advance(by: .seconds(90))  // a gap shorter than either limit, before each token
                gates[index].open()
                try await arrived[index].wait()
            }
            let response = try await answer
            #expect(response.content == tokens.joined())
            #expect(summary(response.attempts) == ["primary#1:success"])
            #expect(clock.now == .seconds(720))
        }
    }

    // MARK: - Cancellation

    /// Streams one token, then has the stub wait for the client to close; cancels the call once the token is in,
    /// and returns the call's error, the close the stub recorded, and the time from cancel to that close.
    func cancelMidStream(_ server: StubLLMServer, _ llm: OpenAICompatibleLLM) async throws -> (
        error: (any Error)?, close: StubLLMServer.ClientClose, cancelToClose: Duration
    ) {
        server.script(
            [.stream(StreamStep.tokens(["One"]) + [.waitForClientClose] + StreamStep.tokens(["Two"]) + [.done])],
            forModel: "primary")
        let firstDelta = Gate()
        let log = StreamLog { event in if event == .delta("One") { firstDelta.open() } }
        let call = Task {
            defer { firstDelta.open() }  // so that a call that never streams "One" fails the test, not hangs it
            return try await llm.stream(Self.request, handler: log.handler)
        }
        try await firstDelta.wait()
        let cancelledAt = ContinuousClock.now
        call.cancel()
        let result = await call.result
        let close = try await server.nextClientClose(within: .seconds(30))  // a deadline for a failing test
        #expect(log.deltas == ["One"])
        var error: (any Error)?
        if case .failure(let failure) = result { error = failure }
        return (error, close, cancelledAt.duration(to: close.observedAt))
    }

    @Test("cancelling the awaiting task closes the connection before the stub's next chunk; LLMError cancelled")
    func cancellationClosesTheConnection() async throws {
        try await withStubLLMServer { server in
            try await withLLM(server) { llm in
                var figures: [Duration] = []
                for round in 0..<10 {
                    let (error, close, cancelToClose) = try await cancelMidStream(server, llm)
                    #expect((error as? LLMError)?.code == .cancelled, "round \(round): \(String(describing: error))")
                    #expect((error as? LLMError)?.attempts.count == 1)
                    #expect(close.nextStep == 2, "the stub held back step 2 (the token Two)")
                    #expect(close.writesSent == 1)
                    #expect(close.requestIndex == round)
                    #expect(close.model == "primary")
                    // The stub holds its next chunk until the client closes, so a call that ignored the cancel
                    // fails at `nextClientClose`. How long the close took is printed, not asserted: the median is
                    // milliseconds, but a machine running the whole suite at once has taken seconds.
                    figures.append(cancelToClose)
                }
                #expect(server.requests.count == 10, "no retry after a cancel")
                #expect(server.clientCloses.count == 10)
                let sorted = figures.sorted()
                print("cancel → stub sees close: median \(sorted[sorted.count / 2]), max \(sorted[sorted.count - 1])")
            }
        }
    }

    @Test("no client close: nextClientClose throws after its timeout")
    func noClientClose() async throws {
        try await withStubLLMServer { server in
            _ = await #expect(throws: StubLLMServerError.self) {
                try await server.nextClientClose(within: .milliseconds(50))
            }
        }
    }

    @Test("the configuration's streaming defaults, in the description and the reflection")
    func configuration() {
        let configuration = OpenAICompatibleLLM.Configuration(baseURL: "https://llm.example/v1", model: "m")
        #expect(configuration.chunkTimeout == .seconds(8))
        #expect(configuration.streaming)
        #expect(String(describing: configuration).contains("chunkTimeout: 8.0 seconds"))
        #expect(String(describing: configuration).contains("streaming: true"))
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect(dumped.contains("chunkTimeout"))
        #expect(dumped.contains("streaming: true"))
    }
}
