import AgentRuntime
import Foundation
import GRDB
import Gateway
import GoldenPathTesting
import Journal
import StandardPipeline
import Testing

/// Failure recovery over the real server: agents and tools failing, the LLM failing, connections dropping,
/// the journal failing, and runs left half-done. Nothing acknowledged is lost, nothing leaks, and every run
/// ends with one terminal event its user receives.
@Suite("Agent message error recovery", .timeLimit(.minutes(5)))
struct AgentMessageErrorRecoveryTests {
    // MARK: - Agent and tool failures

    @Test("a failing tool: tool_completed error, agent_error, agent_completed failed, dependents skipped, degraded")
    func failingTool() async throws {
        try await withLiveServer(agents: agentsReplacing(RecoveryFailingTool(name: "extract_metrics"))) { server in
            let (_, client) = try await signedInClient(server, "fail-tool")
            let runID = try await sendMessage(client, content: RecoveryMessages.sufficient)
            let frames = try await client.awaitRunEnd(runID: runID)
            let tool = try #require(frames.first { $0.type == "tool_completed" && $0.toolName == "extract_metrics" })
            #expect(tool["status"]?.stringValue == "error")
            let error = try #require(frames.first { $0.type == "agent_error" })
            #expect(error.agentName == "data")
            #expect(error["error_code"]?.stringValue == "TOOL_FAILED")
            #expect(
                frames.first { $0.type == "agent_completed" && $0.agentName == "data" }?["status"]?.stringValue
                    == "failed")
            #expect(!frames.contains { $0.agentName == "optimization" || $0.agentName == "actions" })
            let end = try #require(terminalFrames(frames, runID: runID).last)
            #expect(end.type == "run_completed")
            #expect(end["degraded"]?.boolValue == true)
            #expect(end["final_response"]?.stringValue?.contains("skipped") == true)
            let journaled = try await journalFrames(server.journal, runID: runID)
            #expect(frames.map(FrameKey.init) == journaled.map(FrameKey.init))
            try await client.close()
        }
    }

    @Test("a tool over its time limit: tool_completed timeout, the run completes degraded")
    func toolTimeout() async throws {
        let clock = ManualTimeLimitClock()  // the limit passes when the test says so, not in 3 real seconds
        let agents = agentsReplacing(RecoveryBlockingTool(name: "extract_metrics")) {
            $0.toolTimeout = .seconds(3)
            $0.timeLimitClock = clock
        }
        try await withLiveServer(agents: agents) { server in
            let (_, client) = try await signedInClient(server, "slow-tool")
            let runID = try await sendMessage(client, content: RecoveryMessages.sufficient)
            try await client.awaitFrame("the blocked tool") {
                $0.type == "tool_executing" && $0.toolName == "extract_metrics"
            }
            await clock.waitForSleeper(dueWithin: .seconds(3))  // the limit to pass has started
            clock.advance(by: .seconds(3))
            let frames = try await client.awaitRunEnd(runID: runID)
            let tool = try #require(frames.first { $0.type == "tool_completed" && $0.toolName == "extract_metrics" })
            #expect(tool["status"]?.stringValue == "timeout")
            #expect(frames.last?.type == "run_completed")
            #expect(frames.last?["degraded"]?.boolValue == true)
            try await client.close()
        }
    }

    @Test("an agent over its time limit: agent_completed timeout, the supervisor carries on, degraded")
    func agentTimeout() async throws {
        let clock = ManualTimeLimitClock()
        let agents = agentsReplacing(RecoveryBlockingTool(name: "identify_missing_data")) {
            $0.agentTimeout = .seconds(5)  // nearer than the tool's own 10 s
            $0.timeLimitClock = clock
        }
        try await withLiveServer(agents: agents) { server in
            let (_, client) = try await signedInClient(server, "slow-agent")
            let runID = try await sendMessage(client, content: RecoveryMessages.insufficient)
            try await client.awaitFrame("the blocked tool") {
                $0.type == "tool_executing" && $0.toolName == "identify_missing_data"
            }
            await clock.waitForSleeper(dueWithin: .seconds(5))  // the limit to pass has started
            clock.advance(by: .seconds(5))
            let frames = try await client.awaitRunEnd(runID: runID)
            let data = try #require(frames.first { $0.type == "agent_completed" && $0.agentName == "data_helper" })
            #expect(data["status"]?.stringValue == "timeout")
            #expect(frames.contains { $0.type == "agent_error" && $0.agentName == "data_helper" })
            #expect(frames.contains { $0.type == "agent_completed" && $0.agentName == "reporting" })
            #expect(frames.last?.type == "run_completed")
            #expect(frames.last?["degraded"]?.boolValue == true)
            try await client.close()
        }
    }

    @Test("triage failing: reporting alone answers and says what is missing")
    func triageFailure() async throws {
        try await withLiveServer(agents: agentsReplacing(RecoveryFailingTool(name: "classify_request"))) { server in
            let (_, client) = try await signedInClient(server, "fail-triage")
            let runID = try await sendMessage(client, content: RecoveryMessages.sufficient)
            let frames = try await client.awaitRunEnd(runID: runID)
            let agents = frames.filter { $0.type == "agent_started" }.compactMap(\.agentName)
            #expect(agents.first == "supervisor")
            #expect(agents.last == "reporting")
            #expect(!agents.contains("optimization"))
            #expect(frames.last?.type == "run_completed")
            #expect(frames.last?["degraded"]?.boolValue == true)
            try await client.close()
        }
    }

    @Test("an unexpected tool error is reported without file paths or stack traces")
    func unexpectedToolErrorLeaksNothing() async throws {
        try await withLiveServer(agents: agentsReplacing(RecoveryCrashingTool(name: "extract_metrics"))) { server in
            let (_, client) = try await signedInClient(server, "crash-tool")
            let runID = try await sendMessage(client, content: RecoveryMessages.sufficient)
            let frames = try await client.awaitRunEnd(runID: runID)
            let error = try #require(frames.first { $0.type == "agent_error" })
            let message = try #require(error["message"]?.stringValue)
            #expect(!message.contains("/home/"))
            #expect(!message.contains(".swift"))
            #expect(!message.contains("libswiftCore"))
            for frame in frames { #expect(!frame.text.contains("Internal.swift"), "\(frame.type ?? "")") }
            #expect(frames.last?.type == "run_completed")
            try await client.close()
        }
    }

    @Test(
        "whichever tool fails, the run ends with exactly one terminal event, which the user receives",
        arguments: ["classify_request", "identify_missing_data", "extract_metrics", "estimate_cost_change",
                    "rank_options", "plan_actions", "llm_report_generation"])
    func everyToolFailing(tool: String) async throws {
        try await withLiveServer(agents: agentsReplacing(RecoveryFailingTool(name: tool))) { server in
            let (_, client) = try await signedInClient(server, "fail-\(tool.prefix(12))")
            var runs: [String] = []
            for content in [RecoveryMessages.sufficient, RecoveryMessages.partial, RecoveryMessages.insufficient] {
                runs.append(try await sendMessage(client, content: content))
            }
            for runID in runs {
                let frames = try await client.awaitRunEnd(runID: runID)
                #expect(terminalFrames(frames, runID: runID).count == 1)
                #expect(frames.last?.type == "run_completed")
                let types = try await runEventTypes(server.journal, runID: runID)
                #expect(types.filter { AgentEvent.terminalTypes.contains($0) }.count == 1)
                #expect(AgentEvent.terminalTypes.contains(types.last ?? ""), "nothing after the terminal event")
            }
            try await client.close()
        }
    }

    // MARK: - LLM failures

    @Test("the scripted LLM failing: each attempt journaled as llm_failed, degraded answer that says so")
    func scriptedLLMFailing() async throws {
        try await withLiveServer(llm: ScriptedLLM(behavior: .failing(code: .unavailable))) { server in
            let (_, client) = try await signedInClient(server, "llm-down")
            let runID = try await sendMessage(client, content: RecoveryMessages.insufficient)
            let frames = try await client.awaitRunEnd(runID: runID)
            let end = try #require(frames.last)
            #expect(end.type == "run_completed")
            #expect(end["degraded"]?.boolValue == true)
            #expect(end["final_response"]?.stringValue?.contains("could not be written") == true)
            let failures = try await count(
                server.journal,
                "SELECT COUNT(*) FROM events WHERE run_id = ? AND type = 'llm_failed' "
                    + "AND json_array_length(payload, '$.attempts') >= 1", [runID])
            #expect(failures == 1)
            try await client.close()
        }
    }

    @Test("garbage from the LLM is never passed on to the user")
    func scriptedLLMGarbage() async throws {
        try await withLiveServer(llm: ScriptedLLM(behavior: .garbage)) { server in
            let (_, client) = try await signedInClient(server, "llm-garbage")
            let runID = try await sendMessage(client, content: RecoveryMessages.sufficient)
            let frames = try await client.awaitRunEnd(runID: runID)
            #expect(frames.last?.type == "run_completed")
            #expect(frames.last?["degraded"]?.boolValue == true)
            #expect(frames.last?["final_response"]?.stringValue?.contains("{{]]") == false)
            try await client.close()
        }
    }

    @Test("the LLM failing once then recovering: the next run is whole again")
    func scriptedLLMRecovers() async throws {
        try await withLiveServer(llm: ScriptedLLM(behavior: .failing(first: 1))) { server in
            let (_, client) = try await signedInClient(server, "llm-flaky")
            let first = try await sendMessage(client, content: RecoveryMessages.insufficient)
            #expect(try await client.awaitRunEnd(runID: first).last?["degraded"]?.boolValue == true)
            let second = try await sendMessage(client, content: RecoveryMessages.insufficient)
            let frames = try await client.awaitRunEnd(runID: second)
            #expect(frames.last?.type == "run_completed")
            #expect(frames.last?["degraded"]?.boolValue == false)
            try await client.close()
        }
    }

    @Test("an LLM slower than its budget: the report tool times out, the run still completes degraded")
    func scriptedLLMTooSlow() async throws {
        var agents = AgentsConfiguration()
        agents.toolTimeLimits[ReportGenerationTool.toolName] = .milliseconds(300)
        try await withLiveServer(llm: ScriptedLLM(behavior: .delayed(by: .seconds(30))), agents: agents) { server in
            let (_, client) = try await signedInClient(server, "llm-slow")
            let runID = try await sendMessage(client, content: RecoveryMessages.insufficient)
            let frames = try await client.awaitRunEnd(runID: runID)
            let tool = try #require(frames.first { $0.toolName == "llm_report_generation" && $0.type == "tool_completed" })
            #expect(tool["status"]?.stringValue == "timeout")
            #expect(frames.last?.type == "run_completed")
            #expect(frames.last?["degraded"]?.boolValue == true)
            try await client.close()
        }
    }

    /// Runs one message against an OpenAI-compatible endpoint (the stub) and returns the run's frames and its
    /// llm_response / llm_failed payloads.
    private func runAgainstStub(
        _ behaviours: [StubLLMServer.Behaviour], fallback: [StubLLMServer.Behaviour]? = nil,
        timeout: Duration = .seconds(2), user: String
    ) async throws -> (frames: [TestWebSocketClient.Frame], llmEvents: [(type: String, payload: JSONValue)]) {
        try await withStubLLMServer(defaultBehaviour: .status(500)) { stub in
            stub.script(behaviours, forModel: "primary-model")
            if let fallback { stub.script(fallback, forModel: "fallback-model") }
            let configuration = OpenAICompatibleLLM.Configuration(
                baseURL: stub.baseURL, model: "primary-model", fallbackModel: "fallback-model", timeout: timeout,
                backoff: [.milliseconds(10), .milliseconds(10)])
            return try await OpenAICompatibleLLM.withClient(configuration: configuration) { llm in
                try await withLiveServer(llm: llm) { server in
                    let (_, client) = try await signedInClient(server, user)
                    let runID = try await sendMessage(client, content: RecoveryMessages.insufficient)
                    let frames = try await client.awaitRunEnd(runID: runID)
                    try await client.close()
                    let events = try await server.journal.events(filter: .run(runID)).filter {
                        $0.type == "llm_response" || $0.type == "llm_failed"
                    }
                    return (
                        frames,
                        events.map { event in
                            (event.type, (try? JSONValue(parsing: event.payload)) ?? .null)
                        }
                    )
                }
            }
        }
    }

    @Test("OpenAI-compatible endpoint answering 503 twice: the third attempt answers, every attempt journaled")
    func endpointRetries() async throws {
        let (frames, llm) = try await runAgainstStub(
            [.status(503), .status(503), .answer("Cut idle servers.\nNext steps:\n- do it")], user: "stub-retry")
        #expect(frames.last?.type == "run_completed")
        #expect(frames.last?["degraded"]?.boolValue == false)
        #expect(llm.map(\.type) == ["llm_response"])
        #expect(llm.first?.payload["attempts"]?.arrayValue?.count == 3)
        #expect(llm.first?.payload["model"]?.stringValue == "primary-model")
    }

    @Test("OpenAI-compatible primary down: the fallback model answers and is journaled as the model")
    func endpointFallback() async throws {
        let (frames, llm) = try await runAgainstStub(
            [.status(503), .status(503), .status(503)], fallback: [.answer("Fallback answer.\nNext steps:\n- x")],
            user: "stub-fallback")
        #expect(frames.last?.type == "run_completed")
        #expect(llm.first?.payload["model"]?.stringValue == "fallback-model")
        #expect(llm.first?.payload["attempts"]?.arrayValue?.count == 4)
    }

    @Test("OpenAI-compatible endpoint and fallback both down: degraded, the user is told")
    func endpointDown() async throws {
        let (frames, llm) = try await runAgainstStub([], fallback: [], user: "stub-down")
        #expect(frames.last?.type == "run_completed")
        #expect(frames.last?["degraded"]?.boolValue == true)
        #expect(llm.map(\.type) == ["llm_failed"])
        #expect(llm.first?.payload["attempts"]?.arrayValue?.count == 4)
    }

    @Test("OpenAI-compatible endpoint answering garbage: degraded, the garbage is not shown")
    func endpointGarbage() async throws {
        let garbage = StubLLMServer.Behaviour.garbage("<<not json at all>>")
        let (frames, _) = try await runAgainstStub(
            [garbage, garbage, garbage], fallback: [garbage], user: "stub-garbage")
        #expect(frames.last?.type == "run_completed")
        #expect(frames.last?["degraded"]?.boolValue == true)
        #expect(!frames.contains { $0.text.contains("not json at all") })
    }

    @Test("OpenAI-compatible endpoint too slow: attempts time out, degraded")
    func endpointTimeout() async throws {
        let slow = StubLLMServer.Behaviour.delay(.seconds(5), then: .answer("late"))
        let (frames, llm) = try await runAgainstStub(
            [slow, slow, slow], fallback: [slow], timeout: .milliseconds(150), user: "stub-slow")
        #expect(frames.last?.type == "run_completed")
        #expect(frames.last?["degraded"]?.boolValue == true)
        #expect(llm.map(\.type) == ["llm_failed"])
    }
}
