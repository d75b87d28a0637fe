import AgentRuntime
import ChildProcessSupport
import Foundation
import Gateway
import GoldenPathTesting
import Journal
import Synchronization
import Testing

/// `goldenpath serve --llm openai` against an OpenAI-compatible stub that reads the `tools` of each request and
/// picks its calls from them: the standard pipeline's sub-agents are tool-loop agents.
@Suite("serve --llm openai with tool calling", .serialized, .timeLimit(.minutes(5)))
struct ServeWithModelTests {
    /// The calls the stub model chose, in order.
    final class Choices: Sendable {
        private let chosen = Mutex<[LLMToolCall]>([])
        var calls: [LLMToolCall] { chosen.withLock { $0 } }

        func record(_ calls: [LLMToolCall]) { chosen.withLock { $0 += calls } }
    }

    /// A model that calls every tool it is offered, once, with arguments built from the tool's schema and the
    /// context lines of the prompt; then summarizes. A request without tools (the report) gets a report.
    static func model(_ choices: Choices) -> @Sendable (StubLLMServer.ReceivedRequest) -> StubLLMServer.Behaviour {
        { request in
            guard !request.tools.isEmpty else {
                return .answer("You asked about your costs. Findings are above. Next steps:\n1. Act on them.")
            }
            guard !request.messages.contains(where: { $0.role == "tool" }) else {
                return .answer("Summary of what the tools found.")
            }
            let prompt = request.messages.last { $0.role == "user" }?.content ?? ""
            func line(_ prefix: String) -> String? {
                prompt.split(separator: "\n").first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
            }
            let calls = request.tools.enumerated().map { index, tool -> LLMToolCall in
                var arguments: [String: JSONValue] = [:]
                for name in tool.parameters["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                    switch name {
                    case "request": arguments[name] = .string(line("Request: ") ?? prompt)
                    case "metrics": arguments[name] = line("Figures: ").flatMap { try? JSONValue(parsing: $0) } ?? []
                    case "top_option": arguments[name] = .string(line("Best option: ") ?? "the best option")
                    default: arguments[name] = "x"
                    }
                }
                return LLMToolCall(
                    id: "call_\(choices.calls.count + index + 1)", name: tool.name,
                    arguments: JSONValue.object(arguments).jsonText)
            }
            choices.record(calls)
            return .toolCalls(calls)
        }
    }

    @Test("the tools the model chose are the tools the journal shows executed, and each result goes back to it")
    func modelChoosesTools() async throws {
        let executable = try #require(CrashRecoveryTests.executable, "build the goldenpath executable first")
        let directory = try RecoveryDirectory()
        defer { directory.remove() }
        let secret = "serve-openai-\(UUID().uuidString)"
        let choices = Choices()
        try await withStubLLMServer(defaultBehaviour: .decide(Self.model(choices))) { stub in
            let server = try await CrashRecoveryTests.ServeProcess.start(
                executable: executable, path: directory.journalPath, secret: secret, extra: ["--llm", "openai"],
                environment: ["GOLDENPATH_LLM_URL": stub.baseURL, "GOLDENPATH_LLM_MODEL": "stub-model"])
            let token = try await TokenService(secret: secret).issue(userID: "tool-user").token
            let client = try await TestWebSocketClient.connect(port: server.port, token: token)
            try await client.awaitFrame("connection_established") { $0.type == "connection_established" }
            let runID = try await sendMessage(client, content: RecoveryMessages.sufficient)
            let end = try await client.awaitFrame("the run's end") {
                $0.runID == runID && ["run_completed", "run_failed", "run_cancelled"].contains($0.type ?? "")
            }
            #expect(end.type == "run_completed")
            try await client.close()
            try await server.kill(SIGTERM)

            var configuration = GoldenPathJournal.configuration(durability: .normal)
            configuration.readOnly = true
            let journal = try EventJournal(path: directory.journalPath, configuration: configuration)
            defer { try? journal.close() }
            let events = try await journal.stream(EventStreams.run(runID))
            let decoded = try events.map { try AgentEvent(recorded: $0) }
            let executed = decoded.compactMap { event -> ToolExecuting? in
                if case .toolExecuting(let executing) = event, executing.toolName != "llm_report_generation" {
                    executing
                } else {
                    nil
                }
            }
            let chosen = choices.calls
            #expect(!chosen.isEmpty)
            #expect(executed.map(\.toolName) == chosen.map(\.name))
            #expect(
                executed.map(\.toolName) == [
                    "classify_request", "extract_metrics", "estimate_cost_change", "rank_options", "plan_actions",
                ])
            // Every result went back to the model, as journaled, answering the call that asked for it.
            let completed = decoded.compactMap { event -> ToolCompleted? in
                if case .toolCompleted(let done) = event, done.toolName != "llm_report_generation" { done } else { nil }
            }
            let toolMessages = stub.requests.flatMap(\.messages).filter { $0.role == "tool" }
            #expect(toolMessages.map(\.toolCallID) == chosen.map(\.id))
            for (message, result) in zip(toolMessages, completed) {
                #expect(try JSONValue(parsing: message.content) == result.results, "\(result.toolName)")
            }
            // The sub-agents' summaries are the model's.
            let summaries = decoded.compactMap { event -> String? in
                if case .agentCompleted(let done) = event, done.agentName == "triage" { done.finalResponse } else { nil }
            }
            #expect(summaries == ["Summary of what the tools found."])
        }
    }
}
