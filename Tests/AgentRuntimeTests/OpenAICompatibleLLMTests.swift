import AgentRuntime
import Foundation
import GoldenPathTesting
import Synchronization
import StandardPipeline
import Testing

/// `OpenAICompatibleLLM` against a real HTTP stub endpoint on 127.0.0.1: answers, retries, fallback, failures.
@Suite("OpenAICompatibleLLM")
struct OpenAICompatibleLLMTests {
    static let request = LLMRequest(
        agentName: "reporting", purpose: "llm_report_generation",
        messages: [.init(role: "system", content: "You write reports."), .init(role: "user", content: "Summarise.")],
        maxTokens: 256, temperature: 0)

    /// Records the backoff waits the client asks for instead of sleeping.
    final class BackoffRecorder: Sendable {
        private let recorded = Mutex<[Duration]>([])
        var waits: [Duration] { recorded.withLock { $0 } }
        @Sendable func sleep(_ duration: Duration) async throws { recorded.withLock { $0.append(duration) } }
    }

    /// Runs `body` with a client pointed at `server` (primary `primary`, fallback `fallback` unless changed).
    ///
    /// The attempts' time limits wait on `clock`: by default a manual clock that no one advances, so that a limit
    /// passes only in the tests about it (when they advance it), never because a shared machine stalled.
    func withLLM<Result>(
        _ server: StubLLMServer, backoff: BackoffRecorder, clock: any TimeLimitClock = ManualTimeLimitClock(),
        _ configure: (inout OpenAICompatibleLLM.Configuration) -> Void = { _ in },
        _ body: (OpenAICompatibleLLM) async throws -> Result
    ) async throws -> Result {
        var configuration = OpenAICompatibleLLM.Configuration(
            baseURL: server.baseURL, model: "primary", apiKey: "sk-test-secret", fallbackModel: "fallback")
        configure(&configuration)
        return try await OpenAICompatibleLLM.withClient(
            configuration: configuration, backoffSleep: backoff.sleep, timeLimitClock: clock, body)
    }

    /// The time limit of a non-streamed attempt with `timeout`, on the client's clock.
    static func attemptLimit(_ timeout: Duration) -> Duration { timeout + .milliseconds(250) }

    /// The attempts without their latency: `model#number:outcome`.
    func summary(_ attempts: [LLMAttempt]) -> [String] {
        attempts.map { "\($0.model)#\($0.number):\($0.outcome)" }
    }

    /// The `LLMError` that `operation` throws (a test failure when it answers instead).
    func llmError(_ operation: () async throws -> LLMResponse) async -> LLMError? {
        do {
            let response = try await operation()
            Issue.record("expected an LLMError, got an answer from \(response.model)")
        } catch let error as LLMError {
            return error
        } catch {
            Issue.record("expected an LLMError, got \(error)")
        }
        return nil
    }

    @Test("an answer: content, tokens, model, one attempt, and the request as sent")
    func success() async throws {
        try await withStubLLMServer { server in
            server.script([.answer("Report ready.", promptTokens: 42, completionTokens: 9)], forModel: "primary")
            let backoff = BackoffRecorder()
            let response = try await withLLM(server, backoff: backoff) { try await $0.complete(Self.request) }

            #expect(response.content == "Report ready.")
            #expect(response.model == "primary")
            #expect(response.promptTokens == 42)
            #expect(response.completionTokens == 9)
            #expect(summary(response.attempts) == ["primary#1:success"])
            #expect(response.latencyMs >= response.attempts[0].latencyMs)
            #expect(backoff.waits.isEmpty)

            let sent = try #require(server.requests.first)
            #expect(server.requests.count == 1)
            #expect(sent.path == "/v1/chat/completions")
            #expect(sent.model == "primary")
            #expect(sent.messages == Self.request.messages)
            #expect(sent.maxTokens == 256)
            #expect(sent.temperature == 0)
            #expect(sent.authorization == "Bearer sk-test-secret")
        }
    }

    @Test("without an API key no Authorization header is sent")
    func noAPIKey() async throws {
        try await withStubLLMServer { server in
            server.script([.reply { "Echo: \($0.messages.last?.content ?? "")" }])
            let response = try await withLLM(server, backoff: BackoffRecorder(), { $0.apiKey = nil }) {
                try await $0.complete(Self.request)
            }
            #expect(response.content == "Echo: Summarise.")
            #expect(server.requests.map(\.authorization) == [nil])
        }
    }

    @Test("a cancelled call ends at once with LLMError cancelled")
    func cancellation() async throws {
        try await withStubLLMServer(defaultBehaviour: .delay(.seconds(600), then: .answer("Too late."))) { server in
            let started = ContinuousClock.now
            let outcome = try await withLLM(server, backoff: BackoffRecorder()) { llm in
                await withTaskGroup(of: Result<LLMResponse, any Error>.self) { group in
                    group.addTask {
                        do { return .success(try await llm.complete(Self.request)) } catch { return .failure(error) }
                    }
                    group.cancelAll()
                    return await group.next()
                }
            }
            guard case .failure(let error as LLMError) = outcome else {
                Issue.record("expected an LLMError, got \(String(describing: outcome))")
                return
            }
            #expect(error.code == .cancelled)
            #expect(error.attempts.count <= 1)
            // Far below the stub's 600 s, with room for a machine that runs the whole suite at once.
            #expect(ContinuousClock.now - started < .seconds(60))
        }
    }

    @Test("a timeout is retried after the first backoff, and the retry answers", .timeLimit(.minutes(5)))
    func timeoutThenSuccess() async throws {
        try await withStubLLMServer { server in
            server.script(
                [.delay(.seconds(900), then: .answer("Too late.")), .answer("On time.")], forModel: "primary")
            let backoff = BackoffRecorder()
            let clock = ManualTimeLimitClock()
            // The limit passes on the test's clock. The HTTP client's real deadline (600 s) and the slow answer
            // (900 s) are beyond the suite's time limit: a limit not measured on the clock hangs the test.
            async let answer = withLLM(server, backoff: backoff, clock: clock, { $0.timeout = .seconds(600) }) {
                try await $0.complete(Self.request)
            }
            try await server.waitForRequests(count: 1)
            await clock.waitForSleeper(dueWithin: Self.attemptLimit(.seconds(600)))
            clock.advance(by: Self.attemptLimit(.seconds(600)))
            let response = try await answer

            #expect(response.content == "On time.")
            #expect(response.model == "primary")
            #expect(summary(response.attempts) == ["primary#1:timeout", "primary#2:success"])
            #expect(backoff.waits == [.milliseconds(200)])
            #expect(server.requests.map(\.model) == ["primary", "primary"])
        }
    }

    @Test("a 500 is retried after the real default backoff, and the retry answers")
    func serverErrorThenSuccess() async throws {
        try await withStubLLMServer { server in
            server.script([.status(500), .answer("Second time lucky.")], forModel: "primary")
            let configuration = OpenAICompatibleLLM.Configuration(
                baseURL: server.baseURL, model: "primary", fallbackModel: "fallback")
            let response = try await OpenAICompatibleLLM.withClient(configuration: configuration) {
                try await $0.complete(Self.request)
            }

            #expect(response.content == "Second time lucky.")
            #expect(summary(response.attempts) == ["primary#1:http_500", "primary#2:success"])
            #expect(response.latencyMs >= 200, "no backoff before the second attempt")
            #expect(server.requests.map(\.model) == ["primary", "primary"])
        }
    }

    @Test("when the primary keeps failing, the fallback answers after 3 attempts and both backoffs")
    func fallbackAnswers() async throws {
        try await withStubLLMServer { server in
            server.script([.status(503), .status(429), .status(502)], forModel: "primary")
            server.script([.answer("From the fallback.", promptTokens: 5, completionTokens: 3)], forModel: "fallback")
            let backoff = BackoffRecorder()
            let response = try await withLLM(server, backoff: backoff) { try await $0.complete(Self.request) }

            #expect(response.content == "From the fallback.")
            #expect(response.model == "fallback")
            #expect(response.promptTokens == 5)
            #expect(response.completionTokens == 3)
            #expect(
                summary(response.attempts) == [
                    "primary#1:http_503", "primary#2:http_429", "primary#3:http_502", "fallback#1:success",
                ])
            #expect(backoff.waits == [.milliseconds(200), .milliseconds(400)])
            #expect(server.requests.map(\.model) == ["primary", "primary", "primary", "fallback"])
        }
    }

    @Test("when every attempt fails, the LLMError carries every attempt and no secret")
    func totalFailure() async throws {
        try await withStubLLMServer { server in
            server.script([.status(500), .status(500), .status(500)], forModel: "primary")
            server.script([.status(503)], forModel: "fallback")
            let backoff = BackoffRecorder()
            let error = await llmError {
                try await withLLM(server, backoff: backoff) { try await $0.complete(Self.request) }
            }

            #expect(error?.code == .unavailable)
            #expect(
                summary(error?.attempts ?? []) == [
                    "primary#1:http_500", "primary#2:http_500", "primary#3:http_500", "fallback#1:http_503",
                ])
            #expect(error.map { !"\($0)".contains("sk-test-secret") } == true)
            #expect(server.requests.count == 4)
        }
    }

    @Test("a 400 goes straight to the fallback without retries or backoff")
    func clientErrorGoesToFallback() async throws {
        try await withStubLLMServer { server in
            server.script([.status(400)], forModel: "primary")
            server.script([.answer("Fallback here.")], forModel: "fallback")
            let backoff = BackoffRecorder()
            let response = try await withLLM(server, backoff: backoff) { try await $0.complete(Self.request) }

            #expect(response.model == "fallback")
            #expect(response.content == "Fallback here.")
            #expect(summary(response.attempts) == ["primary#1:http_400", "fallback#1:success"])
            #expect(backoff.waits.isEmpty)
            #expect(server.requests.map(\.model) == ["primary", "fallback"])
        }
    }

    @Test("a 401 without a fallback model fails at once with one attempt")
    func clientErrorWithoutFallback() async throws {
        try await withStubLLMServer { server in
            server.script([.status(401)], forModel: "primary")
            let error = await llmError {
                try await withLLM(server, backoff: BackoffRecorder(), { $0.fallbackModel = nil }) {
                    try await $0.complete(Self.request)
                }
            }
            #expect(error?.code == .unavailable)
            #expect(summary(error?.attempts ?? []) == ["primary#1:http_401"])
            #expect(server.requests.count == 1)
        }
    }

    @Test("garbage and empty completions are invalid_response and retried")
    func garbageIsInvalidResponse() async throws {
        try await withStubLLMServer { server in
            server.script(
                [.garbage(), .garbage(#"{"choices":[]}"#), .answer("Finally JSON.")], forModel: "primary")
            let response = try await withLLM(server, backoff: BackoffRecorder()) {
                try await $0.complete(Self.request)
            }
            #expect(response.content == "Finally JSON.")
            #expect(
                summary(response.attempts) == [
                    "primary#1:invalid_response", "primary#2:invalid_response", "primary#3:success",
                ])
        }
    }

    @Test("only garbage: LLMError invalidResponse")
    func onlyGarbage() async throws {
        try await withStubLLMServer(defaultBehaviour: .garbage(#"{"choices":[{"message":{"content":null}}]}"#)) {
            server in
            let error = await llmError {
                try await withLLM(server, backoff: BackoffRecorder()) { try await $0.complete(Self.request) }
            }
            #expect(error?.code == .invalidResponse)
            #expect(
                summary(error?.attempts ?? []) == [
                    "primary#1:invalid_response", "primary#2:invalid_response", "primary#3:invalid_response",
                    "fallback#1:invalid_response",
                ])
        }
    }

    @Test("only timeouts: LLMError timeout, each attempt cut at the configured timeout", .timeLimit(.minutes(5)))
    func onlyTimeouts() async throws {
        try await withStubLLMServer(defaultBehaviour: .delay(.seconds(900), then: .answer("Too late."))) { server in
            let clock = ManualTimeLimitClock()
            let limit = Self.attemptLimit(.seconds(600))  // the HTTP client's real deadline is never reached
            async let failure = llmError {
                try await withLLM(server, backoff: BackoffRecorder(), clock: clock, { $0.timeout = .seconds(600) }) {
                    try await $0.complete(Self.request)
                }
            }
            for count in 1...4 {  // three primary attempts, then the fallback's
                try await server.waitForRequests(count: count)
                await clock.waitForSleeper(dueWithin: limit)
                clock.advance(by: limit)
            }
            let error = await failure
            #expect(error?.code == .timeout)
            #expect(
                summary(error?.attempts ?? []) == [
                    "primary#1:timeout", "primary#2:timeout", "primary#3:timeout", "fallback#1:timeout",
                ])
            #expect(server.requests.count == 4)
        }
    }

    @Test("a refused connection is a transport_error and is retried")
    func transportError() async throws {
        // A port that was just free: the stub's, after it stopped.
        let closedPort = try await withStubLLMServer { $0.port }
        let configuration = OpenAICompatibleLLM.Configuration(
            baseURL: "http://127.0.0.1:\(closedPort)/v1", model: "primary", timeout: .milliseconds(500), attempts: 2)
        let backoff = BackoffRecorder()
        let error = await llmError {
            try await OpenAICompatibleLLM.withClient(configuration: configuration, backoffSleep: backoff.sleep) {
                try await $0.complete(Self.request)
            }
        }
        // The HTTP client retries a refused connect until its deadline, so an attempt ends as transport_error,
        // or as timeout when the client's own deadline fires first on a loaded machine; either way it is retried.
        #expect(error?.code == .unavailable || error?.code == .timeout)
        let attempts = error?.attempts ?? []
        #expect(attempts.map { "\($0.model)#\($0.number)" } == ["primary#1", "primary#2"])
        #expect(attempts.allSatisfy { ["transport_error", "timeout"].contains($0.outcome) })
        #expect(backoff.waits == [.milliseconds(200)])
    }

    @Test("the defaults are the contract's limits, and descriptions hide the API key")
    func configuration() {
        let configuration = OpenAICompatibleLLM.Configuration(
            baseURL: "https://llm.example/v1/", model: "m", apiKey: "sk-very-secret")
        #expect(configuration.timeout == .seconds(8))
        #expect(configuration.attempts == 3)
        #expect(configuration.backoff == [.milliseconds(200), .milliseconds(400)])
        #expect(configuration.fallbackModel == nil)
        #expect(configuration.chatCompletionsURL == "https://llm.example/v1/chat/completions")

        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [String(describing: configuration), String(reflecting: configuration), dumped] {
            #expect(!text.contains("sk-very-secret"))
            #expect(text.contains("llm.example"))
        }
    }
}
