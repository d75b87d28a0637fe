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
    /// recording backoff waits instead of sleeping.
    func withLLM<Result>(
        _ server: StubLLMServer, backoff: OpenAICompatibleLLMTests.BackoffRecorder = .init(),
        _ configure: (inout OpenAICompatibleLLM.Configuration) -> Void = { _ in },
        _ body: (OpenAICompatibleLLM) async throws -> Result
    ) async throws -> Result {
        try await base.withLLM(server, backoff: backoff, configure, body)
    }

    func summary(_ attempts: [LLMAttempt]) -> [String] { base.summary(attempts) }

    func llmError(_ operation: () async throws -> LLMResponse) async -> LLMError? { await base.llmError(operation) }

    /// The `LLMError` of a streamed call to `server` without a fallback model, configured by `configure`.
    func streamError(
        _ server: StubLLMServer, handler: @escaping LLMStreamHandler = { _ in },
        configure: @escaping (inout OpenAICompatibleLLM.Configuration) -> Void = { _ in }
    ) async -> LLMError? {
        await llmError {
            try await withLLM(
                server,
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

    @Test("a delta reaches the handler before the next token is sent (nothing is buffered to the end)")
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
            // Deltas held back to the end would leave the stub waiting: the attempt would time out and fail.
            let response = try await withLLM(server, { $0.chunkTimeout = .seconds(10); $0.attempts = 1 }) {
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

    @Test("no first byte within timeout: the attempt times out (head sent, body late, or head late)")
    func firstByteTimeout() async throws {
        try await withStubLLMServer { server in
            server.script(
                [
                    .stream([.pause(.seconds(20))] + StreamStep.tokens(["Late"]) + [.done]),
                    .delay(.seconds(20), then: .answer("Late too.")),
                ], forModel: "primary")
            let started = ContinuousClock.now
            let error = await streamError(
                server,
                configure: {
                    $0.timeout = .milliseconds(150)
                    $0.chunkTimeout = .seconds(20)
                    $0.attempts = 2
                })
            #expect(error?.code == .timeout)
            #expect(summary(error?.attempts ?? []) == ["primary#1:timeout", "primary#2:timeout"])
            // Ended by the 150 ms limit, not by the stub's 20 s: bounds with room for a machine shared with builds.
            #expect(error?.attempts.allSatisfy { $0.latencyMs >= 150 && $0.latencyMs < 8_000 } == true)
            #expect(ContinuousClock.now - started < .seconds(16))
        }
    }

    @Test("a gap between chunks longer than chunkTimeout times the attempt out; the text before was reported")
    func betweenChunksTimeout() async throws {
        try await withStubLLMServer { server in
            server.script(
                [.stream(StreamStep.tokens(["Early"]) + [.pause(.seconds(5))] + StreamStep.tokens(["late"]))],
                forModel: "primary")
            let log = StreamLog()
            let error = await streamError(
                server, handler: log.handler,
                configure: {
                    $0.timeout = .seconds(5)
                    $0.chunkTimeout = .milliseconds(150)
                    $0.attempts = 1
                })
            #expect(error?.code == .timeout)
            #expect(summary(error?.attempts ?? []) == ["primary#1:timeout"])
            // At least the gap's limit; well under the first-byte limit (5 s), with room for a loaded machine.
            #expect(error?.attempts.first.map { $0.latencyMs >= 150 && $0.latencyMs < 4_500 } == true)
            #expect(log.all == [Self.started("primary", 1), .delta("Early")])
        }
    }

    @Test("a slow but steady stream, longer in total than both limits, does not time out")
    func slowButSteady() async throws {
        // Each gap is a fortieth of the limits (room for the whole suite loading two cores); the whole stream
        // is longer than either.
        let tokens = (1...48).map { "t\($0) " }
        let steps = tokens.flatMap { [StreamStep.pause(.milliseconds(150))] + StreamStep.tokens([$0]) }
        try await withStubLLMServer { server in
            server.script([.stream(steps + [.done])], forModel: "primary")
            let started = ContinuousClock.now
            let response = try await withLLM(
                server,
                {
                    $0.timeout = .seconds(6)
                    $0.chunkTimeout = .seconds(6)
                    $0.attempts = 1
                }
            ) { try await $0.stream(Self.request, handler: { _ in }) }
            #expect(response.content == tokens.joined())
            #expect(summary(response.attempts) == ["primary#1:success"])
            #expect(ContinuousClock.now - started >= .milliseconds(7_200))
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
        let close = try await server.nextClientClose(within: .seconds(5))
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
                    // fails at `nextClientClose`; this bound only keeps the close prompt (a loaded CI machine has
                    // measured just over 1 s once, the median is milliseconds).
                    #expect(cancelToClose < .seconds(3))
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
            await #expect(throws: StubLLMServerError.self) {
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
