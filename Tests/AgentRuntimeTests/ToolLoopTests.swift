import AgentRuntime
import Foundation
import GoldenPathTesting
import Journal
import Logging
import Synchronization
import Testing

/// The LLM tool-calling loop of ``ToolLoopAgent`` against the OpenAI-compatible stub over real HTTP: parallel
/// calls, the turn limit, bad arguments, unknown tools, a tool's time limit on an injected clock, secrets.
@Suite("Tool loop over HTTP", .timeLimit(.minutes(5)))
struct ToolLoopTests {
    /// The run state of the test pipeline.
    struct Notes: Codable, Sendable, Hashable {
        var request: String
        var answer: String?
        var calls: [String] = []
    }

    /// A pipeline of one tool-loop agent, `worker`, with `tools`.
    static func pipeline(tools: [any Tool], turnLimit: Int? = nil) -> Pipeline<Notes> {
        let worker = ToolLoopAgent<Notes>(
            name: "worker", instructions: "Use the tools, then answer.", tools: tools.map(\.name),
            turnLimit: turnLimit, prompt: { $0.request },
            finish: { state, transcript in
                state.calls = transcript.calls.map { "\($0.name):\($0.status.rawValue)" }
                state.answer = transcript.finalText
                return transcript.finalText
            })
        return Pipeline(
            name: "tool-loop-test", agents: [worker], tools: tools, planner: OnceThrough(agent: "worker"),
            initialState: { Notes(request: $0) },
            answer: { progress in
                FinalAnswer(
                    text: progress.state.answer ?? "no answer",
                    degraded: progress.history.contains { !$0.succeeded })
            })
    }

    /// Runs one agent, then finishes.
    struct OnceThrough: Planner {
        let agent: AgentName
        func next(_ progress: inout RunProgress<Notes>) -> PlanStep {
            progress.history.isEmpty ? .run(agent) : .finish
        }
    }

    /// Runs one message through `pipeline` with an `OpenAICompatibleLLM` pointed at `server`, and returns the
    /// run's events once it ended, and the journal's directory (still on disk until `body` returns).
    func run(
        _ message: String, pipeline: Pipeline<Notes>, server: StubLLMServer,
        configure: (inout AgentsConfiguration) -> Void = { _ in },
        whileRunning: @escaping @Sendable (EventJournal, String) async throws -> Void = { _, _ in },
        _ body: ([RecordedEvent], AgentsTestJournal) async throws -> Void
    ) async throws {
        let file = try AgentsTestJournal()
        defer { file.remove() }
        let journal = try file.open()
        var agents = AgentsConfiguration()
        configure(&agents)
        let configuration = OpenAICompatibleLLM.Configuration(
            baseURL: server.baseURL, model: "tool-model", apiKey: "sk-test")
        let events = try await OpenAICompatibleLLM.withClient(
            configuration: configuration, timeLimitClock: ManualTimeLimitClock()  // no model limit passes by stalling
        ) { llm in
            let coordinator = RunCoordinator(
                journal: journal, pipeline: pipeline, llm: llm, configuration: agents,
                logger: Logger(label: "tool-loop-tests", factory: { _ in SwiftLogNoOpLogHandler() }))
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await coordinator.run() }
                let accepted = try await coordinator.submit(IncomingMessage(userID: "alice", content: message))
                try await whileRunning(journal, accepted.runID)
                var events: [RecordedEvent] = []
                for try await event in journal.subscribe(filter: .stream(EventStreams.run(accepted.runID))) {
                    events.append(event)
                    if AgentEvent.terminalTypes.contains(event.type) { break }
                }
                coordinator.beginShutdown()
                try await group.waitForAll()
                return events
            }
        }
        try journal.close()
        try await body(events, file)
    }

    /// `type tool [status]` of the worker's events, LLM events included, each streamed answer folded into one
    /// `streamed` line (how many deltas it takes depends on timing) — `streamed reset tool_calls` when reset.
    static func workerSteps(_ events: [RecordedEvent]) -> [String] {
        var folded: [RecordedEvent] = []
        for event in events {
            if event.type == "agent_response_delta", folded.last?.type == "agent_response_delta" { continue }
            folded.append(event)
        }
        return folded.compactMap { event -> String? in
            let summary = EventSummary(event)
            guard summary.agent == "worker" else { return nil }
            if event.type == "agent_response_delta" { return "streamed" }
            if event.type == "agent_response_reset", case .agentResponseReset(let reset) = try? AgentEvent(recorded: event) {
                return "reset \(reset.reason.rawValue)"
            }
            return ([summary.type] + [summary.tool, summary.status].compactMap { $0 }).joined(separator: " ")
        }
    }

    @Test("two tool calls in one turn run concurrently, journaled executing-executing-completed-completed in the model's order")
    func parallelCalls() async throws {
        let rendezvous = Rendezvous(parties: 2)
        let alpha = RendezvousTool(name: "alpha", rendezvous: rendezvous)
        let beta = RendezvousTool(name: "beta", rendezvous: rendezvous)
        try await withStubLLMServer { server in
            server.script([
                .toolCalls(
                    [
                        LLMToolCall(id: "call_a", name: "alpha", arguments: #"{"n":1}"#),
                        LLMToolCall(id: "call_b", name: "beta", arguments: #"{"n":2}"#),
                    ], content: "Calling both."),
                .answer("Both done."),
            ])
            try await run("do both", pipeline: Self.pipeline(tools: [alpha, beta]), server: server) {
                $0.toolTimeout = .seconds(20)  // a sequential loop would wait here: each tool waits for the other
            } _: { events, _ in
                #expect(
                    Self.workerSteps(events) == [
                        "agent_started", "llm_request", "streamed", "reset tool_calls", "llm_response",
                        "agent_thinking", "tool_executing alpha", "tool_executing beta",
                        "tool_completed alpha success", "tool_completed beta success",
                        "llm_request", "streamed", "llm_response", "agent_completed completed",
                    ])
                #expect(events.last?.type == "run_completed")
                // The second request echoes the assistant's calls (content null) and one tool message per call.
                let second = try #require(server.requests.dropFirst().first)
                let assistant = try #require(second.messages.first { $0.role == "assistant" })
                #expect(assistant.toolCalls?.map(\.id) == ["call_a", "call_b"])
                #expect(second.body.contains(#""content":"Calling both.""#))
                #expect(second.messages.filter { $0.role == "tool" }.map(\.toolCallID) == ["call_a", "call_b"])
                #expect(second.messages.last?.content.contains(#""n":2"#) == true)
                #expect(server.requests.first?.tools.map(\.name) == ["alpha", "beta"])
                #expect(server.requests.first?.toolChoice == "auto")
                #expect(server.requests.first?.parallelToolCalls == true)
                // Journaled as deltas: the first request with its tools, the second with only what it adds.
                let requests = try events.compactMap { event -> LLMRequested? in
                    if case .llmRequest(let request) = try AgentEvent(recorded: event) { request } else { nil }
                }
                #expect(requests.map(\.turn) == [1, 2])
                #expect(requests[0].tools?.map(\.name) == ["alpha", "beta"])
                #expect(requests[1].tools == nil)
                #expect(requests[1].messages.map(\.role) == ["assistant", "tool", "tool"])
                #expect(requests[0].instructionsVersion?.hasPrefix("sha256:") == true)
                let rebuilt = LLMRequested.conversation(of: requests)
                #expect(rebuilt[1].messages.map(\.role) == ["system", "user", "assistant", "tool", "tool"])
                #expect(rebuilt[1].tools.map(\.name) == ["alpha", "beta"])
            }
        }
    }

    @Test("a model that keeps calling tools past the turn limit: failed agent, transcript kept, run degraded")
    func turnLimit() async throws {
        let echo = EchoTool(name: "echo")
        try await withStubLLMServer(
            defaultBehaviour: .toolCalls([LLMToolCall(id: "call_1", name: "echo", arguments: #"{"text":"again"}"#)])
        ) { server in
            try await run("loop forever", pipeline: Self.pipeline(tools: [echo], turnLimit: 3), server: server) {
                events, _ in
                let steps = Self.workerSteps(events)
                #expect(steps.filter { $0 == "llm_request" }.count == 3)
                #expect(steps.filter { $0 == "tool_completed echo success" }.count == 3)
                #expect(steps.suffix(2) == ["agent_error", "agent_completed failed"])
                let error = try #require(
                    try events.compactMap { event -> AgentErrorReported? in
                        if case .agentError(let error) = try AgentEvent(recorded: event) { error } else { nil }
                    }.first)
                #expect(error.errorCode == "TURN_LIMIT")
                guard case .runCompleted(let completed) = try AgentEvent(recorded: try #require(events.last)) else {
                    Issue.record("the run did not complete: \(events.last?.type ?? "nothing")")
                    return
                }
                #expect(completed.degraded)
                #expect(server.requests.count == 3)
            }
        }
    }

    @Test("invalid JSON arguments and a missing required field are fed back; the model recovers on its next turn")
    func badArguments() async throws {
        let weather = FunctionTool(name: "weather", description: "The weather in a city") {
            (input: WeatherInput, _: ToolContext) in WeatherOutput(city: input.city, forecast: "sunny")
        }
        try await withStubLLMServer { server in
            server.script([
                .toolCalls([
                    LLMToolCall(id: "bad_json", name: "weather", arguments: #"{"city": "Oslo""#),
                    LLMToolCall(id: "missing", name: "weather", arguments: #"{"days": 2}"#),
                ]),
                .decide { request in
                    // The model read the errors and asks again, properly.
                    let errors = request.messages.filter { $0.role == "tool" }.map(\.content)
                    guard errors.count == 2, errors[0].contains("not valid JSON"),
                        errors[1].contains("city: the required field is missing")
                    else { return .answer("I did not see the errors.") }
                    return .toolCalls([LLMToolCall(id: "good", name: "weather", arguments: #"{"city":"Oslo"}"#)])
                },
                .answer("Sunny in Oslo."),
            ])
            try await run("weather?", pipeline: Self.pipeline(tools: [weather]), server: server) { events, _ in
                #expect(
                    Self.workerSteps(events).filter { $0.hasPrefix("tool_completed") } == [
                        "tool_completed weather error", "tool_completed weather error",
                        "tool_completed weather success",
                    ])
                #expect(server.requests.count == 3)
                guard case .runCompleted(let completed) = try AgentEvent(recorded: try #require(events.last)) else {
                    Issue.record("the run did not complete")
                    return
                }
                #expect(completed.finalResponse == "Sunny in Oslo.")
                #expect(!completed.degraded)
                // The derived schema was offered: city required, days optional.
                let offered = try #require(server.requests.first?.tools.first?.parameters)
                #expect(offered["required"] == ["city"])
                #expect(offered["properties"]?["days"]?["type"] == "integer")
            }
        }
    }

    @Test("an unknown tool is fed back as an error and nothing runs")
    func unknownTool() async throws {
        let echo = EchoTool(name: "echo")
        try await withStubLLMServer { server in
            server.script([
                .toolCalls([LLMToolCall(id: "x", name: "delete_everything", arguments: "{}")]),
                .answer("Sorry."),
            ])
            try await run("go", pipeline: Self.pipeline(tools: [echo]), server: server) { events, _ in
                #expect(
                    Self.workerSteps(events).filter { $0.hasPrefix("tool_") } == [
                        "tool_executing delete_everything", "tool_completed delete_everything error",
                    ])
                #expect(echo.calls == 0)
                let fedBack = try #require(server.requests.last?.messages.last)
                #expect(fedBack.role == "tool")
                #expect(fedBack.content.contains("UNKNOWN_TOOL"))
                // An assistant message that only calls tools is sent with `content: null`.
                #expect(server.requests.last?.body.contains(#""content":null"#) == true)
                #expect(events.last?.type == "run_completed")
            }
        }
    }

    @Test("a tool past its time limit on the injected clock: tool_completed timeout, fed back, no real waiting")
    func toolTimeLimit() async throws {
        let clock = ManualTimeLimitClock()
        let hanging = HangingTool(name: "slow")
        try await withStubLLMServer { server in
            server.script([
                .toolCalls([LLMToolCall(id: "s", name: "slow", arguments: "{}")]),
                .answer("It timed out."),
            ])
            let started = ContinuousClock.now
            try await run(
                "wait", pipeline: Self.pipeline(tools: [hanging]), server: server,
                configure: {
                    $0.timeLimitClock = clock
                    $0.toolTimeout = .seconds(5)
                },
                whileRunning: { _, _ in
                    try await hanging.started.wait()
                    // The run's hard limit (310 s), the agent's (60 s) and the tool's (5 s): three waits.
                    await clock.waitForSleeper(dueWithin: .seconds(5))  // the limit to pass has started
                    clock.advance(by: .seconds(5))
                }
            ) { events, _ in
                #expect(
                    Self.workerSteps(events).filter { $0.hasPrefix("tool_completed") } == [
                        "tool_completed slow timeout"
                    ])
                #expect(server.requests.last?.messages.last?.content.contains("TOOL_TIMEOUT") == true)
                #expect(events.last?.type == "run_completed")
            }
            #expect(ContinuousClock.now - started < .seconds(60))
        }
    }

    @Test("a secret-marked argument never reaches the journal's files, though the tool gets it")
    func secretArguments() async throws {
        let secret = "4111-SECRET-9876-\(UUID().uuidString)"
        let pay = PayTool()
        try await withStubLLMServer { server in
            server.script([
                .toolCalls([
                    LLMToolCall(id: "p", name: "pay", arguments: #"{"card":"\#(secret)","amount":5}"#)
                ]),
                .answer("Paid."),
            ])
            try await run("pay", pipeline: Self.pipeline(tools: [pay]), server: server) { events, file in
                #expect(pay.cards == [secret])
                #expect(events.last?.type == "run_completed")
                // The model saw its own call echoed back with the secret redacted only in the journal: the second
                // request still carries the real arguments to the model.
                #expect(server.requests.last?.body.contains(secret) == true)
                var found = 0
                for suffix in ["", "-wal", "-shm"] {
                    guard let data = FileManager.default.contents(atPath: file.path + suffix) else { continue }
                    found += data.occurrences(of: Data(secret.utf8))
                }
                #expect(found == 0)
                #expect(events.contains { $0.payload.contains("[REDACTED]") })
            }
        }
    }
}

// MARK: - Test tools

/// The `weather` tool's input (its schema is derived from it).
struct WeatherInput: Codable, Sendable {
    var city: String
    var days: Int?
}

/// The `weather` tool's output.
struct WeatherOutput: Codable, Sendable {
    var city: String
    var forecast: String
}

/// Each party waits until all have arrived.
final class Rendezvous: Sendable {
    private let state: Mutex<(arrived: Int, waiting: [CheckedContinuation<Void, Never>])>
    private let parties: Int

    init(parties: Int) {
        self.parties = parties
        self.state = Mutex((0, []))
    }

    func arrive() async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.arrived += 1
                state.waiting.append(continuation)
                guard state.arrived >= parties else { return [] }
                defer { state.waiting = [] }
                return state.waiting
            }
            ready.forEach { $0.resume() }
        }
    }
}

/// Returns its arguments once every party of its rendezvous has started.
struct RendezvousTool: Tool {
    let name: String
    let rendezvous: Rendezvous

    func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        await rendezvous.arrive()
        return parameters
    }
}

/// Echoes its arguments and counts its calls.
final class EchoTool: Tool {
    let name: String
    private let count = Mutex(0)
    var calls: Int { count.withLock { $0 } }

    init(name: String) {
        self.name = name
    }

    func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        count.withLock { $0 += 1 }
        return parameters
    }
}

/// Never finishes until cancelled; says when it has started.
struct HangingTool: Tool {
    let name: String
    let started = Gate()

    func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        started.open()
        try await Task.sleep(for: .seconds(86_400))
        return [:]
    }
}

/// Takes a payment: its `card` parameter is secret.
final class PayTool: Tool {
    let name = "pay"
    var secretParameters: Set<String> { ["card"] }
    var parameters: JSONSchema {
        .object(properties: ["card": .string(), "amount": .number()], required: ["card", "amount"])
    }
    private let received = Mutex<[String]>([])
    var cards: [String] { received.withLock { $0 } }

    func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        let card = try parameters.requiredString("card", tool: name)
        received.withLock { $0.append(card) }
        return ["paid": true, "reference": .string(context.executionID)]
    }
}

extension Data {
    /// How many times `needle` occurs.
    func occurrences(of needle: Data) -> Int {
        guard !needle.isEmpty else { return 0 }
        var count = 0
        var start = startIndex
        while let range = self[start...].range(of: needle) {
            count += 1
            start = range.upperBound
        }
        return count
    }
}
