import AgentRuntime
import Foundation
import GRDB
import Gateway
import GoldenPathTesting
import Journal
import StandardPipeline
import Testing

/// User message → agent execution → answer, end to end over a real server: the events during processing, agent
/// selection and instantiation, persistence at each step, the LLM over real HTTP, and the supervisor's multi-step
/// workflow. Every assertion reads the journal, the REST API or the frames a real client received.
@Suite("Complete agent message pipeline", .timeLimit(.minutes(5)))
struct CompleteAgentMessagePipelineTests {
    static let shared = ITSharedServer()

    // MARK: - End to end, per triage outcome

    @Test("the journal holds the exact SPEC §5 sequence of the run", arguments: ["sufficient", "partial", "insufficient"])
    func journalSequence(sufficiency: String) async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "seq")
        let (runID, _) = try await user.run(IT.request(for: sufficiency))
        let journal = JournalAssertions(server.journal)
        try await journal.expectRun(runID, matches: .goldenPath(agents: IT.path(for: sufficiency)))
        try await user.close()
    }

    @Test("the frames received are the run's journal frame events, in order", arguments: ["sufficient", "partial", "insufficient"])
    func framesEqualJournal(sufficiency: String) async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "frames")
        let (runID, frames) = try await user.run(IT.request(for: sufficiency))
        let events = try await JournalAssertions(server.journal).runEvents(runID, framesOnly: true)
        #expect(IT.keys(frames) == IT.keys(events))
        #expect(EventPattern.goldenPath(agents: IT.path(for: sufficiency), framesOnly: true)
            .mismatch(frames.map(EventSummary.init)) == nil)
        try await user.close()
    }

    @Test("GET /api/runs/{id} shows the completed run with its agents, path and answer", arguments: ["sufficient", "partial", "insufficient"])
    func runProjection(sufficiency: String) async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "proj")
        let (runID, frames) = try await user.run(IT.request(for: sufficiency))
        let run = try await server.http("GET", "/api/runs/\(runID)", token: user.token)
        #expect(run.status == 200)
        #expect(run.json["status"]?.stringValue == "completed")
        #expect(run.json["path"]?.stringValue == sufficiency)
        #expect(run.json["agents"]?.arrayValue?.compactMap(\.stringValue) == ["supervisor"] + IT.path(for: sufficiency))
        #expect(run.json["degraded"]?.boolValue == false)
        let answer = frames.last { $0.type == "run_completed" }?["final_response"]?.stringValue
        #expect(answer != nil && run.json["final_response"]?.stringValue == answer)
        #expect(run.json["user_id"]?.stringValue == user.userID)
        try await user.close()
    }

    @Test("GET /api/runs/{id}/events equals the run's journal events", arguments: ["sufficient", "partial", "insufficient"])
    func runEventsEndpoint(sufficiency: String) async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "rest")
        let (runID, _) = try await user.run(IT.request(for: sufficiency))
        let answer = try await server.http("GET", "/api/runs/\(runID)/events", token: user.token)
        #expect(answer.status == 200)
        let rest = (answer.json["events"]?.arrayValue ?? []).map {
            "\($0["seq"]?.intValue ?? -1) \($0["type"]?.stringValue ?? "?")"
        }
        let journal = try await JournalAssertions(server.journal).runEvents(runID).map { "\($0.seq) \($0.type)" }
        #expect(!rest.isEmpty && rest == journal)
        try await user.close()
    }

    // MARK: - Persistence during execution

    @Test("a new thread is created and listed with both messages and its last run")
    func threadProjection() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "thread")
        let (runID, frames) = try await user.run(IT.partial)
        let threadID = try #require(frames.first?.threadID)
        let threads = try await server.http("GET", "/api/threads", token: user.token)
        let listed = try #require(threads.json["threads"]?.arrayValue)
        #expect(listed.count == 1)
        #expect(listed.first?["thread_id"]?.stringValue == threadID)
        #expect(listed.first?["message_count"]?.intValue == 2)
        #expect(listed.first?["last_run_id"]?.stringValue == runID)
        try await user.close()
    }

    @Test("the transcript holds the user's message then the answer, from the journal's events")
    func messagesProjection() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "msgs")
        let (runID, frames) = try await user.run(IT.sufficient)
        let threadID = try #require(frames.first?.threadID)
        let answer = try await server.http("GET", "/api/threads/\(threadID)/messages", token: user.token)
        let messages = try #require(answer.json["messages"]?.arrayValue)
        #expect(messages.map { $0["role"]?.stringValue } == ["user", "assistant"])
        #expect(messages.first?["content"]?.stringValue == IT.sufficient)
        #expect(messages.last?["content"]?.stringValue == frames.last?["final_response"]?.stringValue)
        let events = try await JournalAssertions(server.journal).runEvents(runID)
        #expect(messages.first?["seq"]?.intValue.map(Int64.init) == events.first { $0.type == "user_message" }?.seq)
        #expect(messages.last?["seq"]?.intValue.map(Int64.init) == events.first { $0.type == "run_completed" }?.seq)
        try await user.close()
    }

    @Test("a follow-up in the same thread adds a second run and two more messages")
    func followUpInThread() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "follow")
        let (firstRun, frames) = try await user.run(IT.partial)
        let threadID = try #require(frames.first?.threadID)
        let (secondRun, second) = try await user.run("And with 20 servers at $300 each?", threadID: threadID)
        #expect(second.allSatisfy { $0.threadID == threadID })
        #expect(firstRun != secondRun)
        let answer = try await server.http("GET", "/api/threads/\(threadID)/messages", token: user.token)
        let messages = try #require(answer.json["messages"]?.arrayValue)
        #expect(messages.map { $0["role"]?.stringValue } == ["user", "assistant", "user", "assistant"])
        #expect(messages.map { $0["run_id"]?.stringValue } == [firstRun, firstRun, secondRun, secondRun])
        try await user.close()
    }

    @Test("at every event of a run, the runs row agrees with the events committed so far")
    func projectionAtEachStep() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "step")
        let received = try await user.send(IT.sufficient)
        let runID = try #require(received.runID)
        var checked = 0
        for try await event in server.journal.subscribe(filter: .run(runID)) {
            let snapshot = try await server.journal.read { db -> (Int, Int64, String, Int, Int) in
                let row = try Row.fetchOne(
                    db, sql: "SELECT event_count, last_seq, status FROM runs WHERE run_id = ?", arguments: [runID])
                let lastSeq: Int64 = row?["last_seq"] ?? -1
                let count = try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM events WHERE run_id = ? AND seq <= ?", arguments: [runID, lastSeq])
                let terminal = try Int.fetchOne(
                    db,
                    sql: "SELECT COUNT(*) FROM events WHERE run_id = ? AND seq <= ? AND type IN "
                        + "('run_completed','run_failed','run_cancelled')", arguments: [runID, lastSeq])
                return (row?["event_count"] ?? -1, lastSeq, row?["status"] ?? "none", count ?? -2, terminal ?? -1)
            }
            #expect(snapshot.1 >= event.seq, "runs.last_seq \(snapshot.1) behind event \(event.seq)")
            #expect(snapshot.0 == snapshot.3, "event_count \(snapshot.0) but \(snapshot.3) events")
            #expect((snapshot.2 == "completed") == (snapshot.4 == 1), "status \(snapshot.2) at \(event.type)")
            checked += 1
            if AgentEvent.terminalTypes.contains(event.type) { break }
        }
        #expect(checked > 10)
        try await user.close()
    }

    @Test("the user's message is journaled and in the transcript before message_received reaches the client")
    func messagePersistedBeforeAcknowledgement() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "ack")
        let received = try await user.send(IT.insufficient)
        let threadID = try #require(received.threadID)
        let stored = try await server.journal.read { db in
            try String.fetchOne(
                db, sql: "SELECT content FROM messages WHERE thread_id = ? AND role = 'user'", arguments: [threadID])
        }
        #expect(stored == IT.insufficient)
        let runID = try #require(received.runID)
        try await user.client.awaitRunEnd(runID: runID)
        let events = try await JournalAssertions(server.journal).runEvents(runID)
        #expect(events.prefix(2).map(\.type) == ["user_message", "message_received"])
        try await user.close()
    }

    @Test("mid-run (held in reporting's LLM call) the run is running in reporting, with no answer yet")
    func projectionMidRun() async throws {
        let gate = GatedLLM()
        try await withLiveServer(llm: gate) { server in
            let user = try await ITUser.make(server, "mid")
            let received = try await user.send(IT.insufficient)
            let runID = try #require(received.runID)
            let journal = JournalAssertions(server.journal)
            try await journal.awaitEvent(.run(runID)) { $0.type == "llm_request" }
            let mid = try await server.http("GET", "/api/runs/\(runID)", token: user.token)
            #expect(mid.json["status"]?.stringValue == "running")
            #expect(mid.json["current_agent"]?.stringValue == "reporting")
            #expect(mid.json["final_response"] == nil || mid.json["final_response"] == .null)
            let threadID = try #require(received.threadID)
            let transcript = try await server.http("GET", "/api/threads/\(threadID)/messages", token: user.token)
            #expect(transcript.json["messages"]?.arrayValue?.count == 1)
            gate.open()
            try await user.client.awaitRunEnd(runID: runID)
            let end = try await server.http("GET", "/api/runs/\(runID)", token: user.token)
            #expect(end.json["status"]?.stringValue == "completed")
            try await user.close()
        }
    }

    // MARK: - Agent selection and instantiation

    @Test("every agent_started carries an instance id, unique within the run")
    func instanceIDsPerRun() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "inst")
        let (runID, _) = try await user.run(IT.sufficient)
        let started = IT.started(try await JournalAssertions(server.journal).runEvents(runID))
        #expect(started.map(\.agentName) == ["supervisor"] + IT.sufficientPath)
        #expect(started.allSatisfy { !$0.instanceID.isEmpty })
        #expect(Set(started.map(\.instanceID)).count == started.count)
        try await user.close()
    }

    @Test("two runs of one user get fresh instances of every agent")
    func freshInstancesAcrossRuns() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "fresh")
        let (first, _) = try await user.run(IT.partial)
        let (second, _) = try await user.run(IT.partial)
        let journal = JournalAssertions(server.journal)
        let a = Set(IT.started(try await journal.runEvents(first)).map(\.instanceID))
        let b = Set(IT.started(try await journal.runEvents(second)).map(\.instanceID))
        #expect(a.count == 5 && b.count == 5)
        #expect(a.isDisjoint(with: b))
        try await user.close()
    }

    @Test("each agent states its task, and the supervisor's thinking precedes the first sub-agent")
    func taskDescriptions() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "task")
        let (_, frames) = try await user.run(IT.sufficient)
        let started = frames.filter { $0.type == "agent_started" }
        #expect(started.count == 6)
        #expect(started.allSatisfy { !($0["task_description"]?.stringValue ?? "").isEmpty })
        let firstSub = try #require(frames.firstIndex { $0.type == "agent_started" && $0.agentName == "triage" })
        #expect(frames[..<firstSub].contains { $0.type == "agent_thinking" && $0.agentName == "supervisor" })
        try await user.close()
    }

    // MARK: - Events during processing

    @Test("agent_thinking step numbers count up from 1 within each agent")
    func thinkingSteps() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "think")
        let (_, frames) = try await user.run(IT.sufficient)
        var steps: [String: [Int]] = [:]
        for frame in frames where frame.type == "agent_thinking" {
            steps[frame.agentName ?? "?", default: []].append(frame["step_number"]?.intValue ?? -1)
        }
        #expect(Set(steps.keys) == Set(["supervisor"] + IT.sufficientPath))
        for (agent, numbers) in steps {
            #expect(numbers == Array(1...numbers.count), "\(agent): \(numbers)")
        }
        try await user.close()
    }

    @Test("each tool_executing is closed by one tool_completed with the same execution id")
    func toolExecutionPairs() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "tools")
        let (runID, _) = try await user.run(IT.sufficient)
        let events = try await JournalAssertions(server.journal).runEvents(runID)
        let calls = IT.toolCalls(events)
        let results = IT.toolResults(events)
        #expect(calls.map(\.toolName) == ["classify_request", "extract_metrics", "estimate_cost_change",
            "rank_options", "plan_actions", "llm_report_generation"])
        #expect(calls.map(\.executionID) == results.map(\.executionID))
        #expect(Set(calls.map(\.executionID)).count == calls.count)
        #expect(results.allSatisfy { $0.status == .success && $0.durationMs >= 0 })
        try await user.close()
    }

    @Test("every run event after the acknowledgement has a cause earlier in the same run (causation_tree)")
    func causation() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "cause")
        let (runID, _) = try await user.run(IT.partial)
        let journal = JournalAssertions(server.journal)
        let events = try await journal.runEvents(runID)
        let seqs = Set(events.map(\.seq))
        // user_message and message_received are the roots (the gateway's acknowledgement records no cause).
        for event in events.dropFirst(2) {
            let cause = try #require(event.causationSeq, "\(event.type) has no cause")
            #expect(seqs.contains(cause) && cause < event.seq, "\(event.type) caused by \(cause)")
        }
        let tree = try await journal.integer("SELECT COUNT(*) FROM causation_tree WHERE run_id = ?", [runID])
        #expect(tree == events.count)
        try await user.close()
    }

    @Test("run_timeline lists the run's events in order with their agent and tool")
    func runTimeline() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "timeline")
        let (runID, _) = try await user.run(IT.insufficient)
        let journal = JournalAssertions(server.journal)
        let timeline = try await journal.lines(
            "SELECT seq || ' ' || type || ' ' || IFNULL(agent_name, '') || ' ' || IFNULL(tool_name, '') "
                + "FROM run_timeline WHERE run_id = ? ORDER BY seq", [runID])
        let expected = try await journal.runSummaries(runID).map {
            "\($0.seq ?? 0) \($0.type) \($0.agent ?? "") \($0.tool ?? "")"
        }
        #expect(timeline.map { $0.replacingOccurrences(of: "\"", with: "") } == expected)
        try await user.close()
    }

    @Test("run_summary reports the run completed, its agents and its event count")
    func runSummary() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "summary")
        let (runID, _) = try await user.run(IT.sufficient)
        let journal = JournalAssertions(server.journal)
        let events = try await journal.runEvents(runID)
        #expect(try await journal.integer(
            "SELECT event_count FROM run_summary WHERE run_id = ? AND status = 'completed' AND user_id = ?",
            [runID, user.userID]) == events.count)
        try await user.close()
    }

    @Test("a run's events form the stream run:<id> with versions 1…n")
    func runStream() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "stream")
        let (runID, _) = try await user.run(IT.partial)
        let events = try await JournalAssertions(server.journal).runEvents(runID)
        #expect(events.allSatisfy { $0.stream == EventStreams.run(runID) })
        #expect(events.map(\.streamVersion) == Array(1...Int64(events.count)))
        try await user.close()
    }

    @Test("every run frame names its user, thread and run, and carries seq and a UTC millisecond timestamp")
    func frameEnvelope() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "env")
        let (runID, frames) = try await user.run(IT.sufficient)
        let threadID = frames.first?.threadID
        for frame in frames {
            #expect(frame.userID == user.userID && frame.runID == runID && frame.threadID == threadID, "\(frame)")
            #expect(frame.seq != nil)
            let timestamp = frame["timestamp"]?.stringValue ?? ""
            #expect(timestamp.count == 24 && timestamp.hasSuffix("Z"), "\(timestamp)")
            if frame.type != "message_received" && !AgentEvent.terminalTypes.contains(frame.type ?? "") {
                #expect(frame.agentName != nil, "\(frame)")
            }
        }
        try await user.close()
    }

    @Test("message_received echoes the client_message_id; the user_message event holds the content as sent")
    func acknowledgement() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "echo")
        try await user.client.send(["type": "user_message", "content": "  \(IT.partial)  ", "client_message_id": "cm-1"])
        let received = try await user.client.awaitFrame("message_received") { $0.type == "message_received" }
        #expect(received["client_message_id"]?.stringValue == "cm-1")
        let runID = try #require(received.runID)
        try await user.client.awaitRunEnd(runID: runID)
        let events = try await JournalAssertions(server.journal).runEvents(runID)
        let message = IT.decoded(events).compactMap { if case .userMessage(let p) = $0 { p } else { nil } }.first
        #expect(message?.content.trimmingCharacters(in: .whitespaces) == IT.partial)
        #expect(message?.clientMessageID == "cm-1")
        try await user.close()
    }

    @Test("an unknown thread_id is THREAD_NOT_FOUND and starts no run")
    func unknownThread() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "nothread")
        try await user.client.send(["type": "user_message", "content": IT.partial, "thread_id": "no-such-thread"])
        let error = try await user.client.awaitFrame("error") { $0.type == "error" }
        #expect(error.code == "THREAD_NOT_FOUND")
        #expect(try await JournalAssertions(server.journal).integer(
            "SELECT COUNT(*) FROM events WHERE user_id = ? AND run_id IS NOT NULL", [user.userID]) == 0)
        try await user.close()
    }

    @Test("two messages without a thread start two threads")
    func twoThreads() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "twothreads")
        let (_, first) = try await user.run(IT.partial)
        let (_, second) = try await user.run(IT.insufficient)
        #expect(first.first?.threadID != second.first?.threadID)
        let threads = try await server.http("GET", "/api/threads", token: user.token)
        #expect(Set((threads.json["threads"]?.arrayValue ?? []).compactMap { $0["thread_id"]?.stringValue })
            == Set([first.first?.threadID, second.first?.threadID].compactMap { $0 }))
        try await user.close()
    }

    @Test("the journal's hash chain and projections verify after the runs")
    func verifies() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "verify")
        _ = try await user.run(IT.sufficient)
        let report = try await server.journal.verify()
        #expect(report.failures.isEmpty, "\(report.failures)")
        try await user.close()
    }

    // MARK: - Multi-step supervisor → sub-agents

    @Test("the supervisor's final_response, reporting's report and run_completed's answer are one text")
    func answerFlowsUp() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "answer")
        let (runID, _) = try await user.run(IT.sufficient)
        let events = try await JournalAssertions(server.journal).runEvents(runID)
        let supervisor = IT.completedAgents(events).first { $0.agentName == "supervisor" }
        let report = IT.toolResults(events).first { $0.toolName == "llm_report_generation" }?.results["report"]
        let completed = try #require(IT.runCompleted(events))
        #expect(supervisor?.finalResponse == completed.finalResponse)
        #expect(report?.stringValue == completed.finalResponse)
        #expect(!completed.finalResponse.isEmpty)
        try await user.close()
    }

    @Test("reporting's prompt carries the earlier agents' findings")
    func findingsReachReporting() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "findings")
        let (runID, _) = try await user.run(IT.sufficient)
        let events = try await JournalAssertions(server.journal).runEvents(runID)
        let prompt = try #require(IT.llmRequests(events).first?.messages.last?.content)
        #expect(prompt.hasPrefix("Request: \(IT.sufficient)"))
        #expect(prompt.contains("Findings:"))
        #expect(prompt.contains("$12,000"))
        try await user.close()
    }

    @Test("each sub-agent starts only after the one before it completed")
    func sequentialSubAgents() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "serial")
        let (_, frames) = try await user.run(IT.sufficient)
        var open: String?
        for frame in frames where frame.agentName != nil && frame.agentName != "supervisor" {
            if frame.type == "agent_started" {
                #expect(open == nil, "\(frame.agentName ?? "") started while \(open ?? "") ran")
                open = frame.agentName
            } else if frame.type == "agent_completed" {
                open = nil
            } else {
                #expect(frame.agentName == open)
            }
        }
        try await user.close()
    }

    @Test("a failing data step: the journal shows agent_error, the skipped steps, and a degraded completion")
    func failingStepInPipeline() async throws {
        let faults = FaultPlan().failingTool("extract_metrics")
        try await withLiveServer(llm: faults.makeLLM(), agents: faults.apply(to: AgentsConfiguration())) { server in
            let user = try await ITUser.make(server, "fail")
            let (runID, frames) = try await user.run(IT.sufficient)
            let journal = JournalAssertions(server.journal)
            try await journal.expectRun(
                runID,
                matches: .run(
                    .agent("triage") + .failingAgent("data", failingTool: "extract_metrics") + .agent("reporting")))
            #expect(frames.last?["degraded"]?.boolValue == true)
            try await user.close()
        }
    }

    @Test("an LLM fault on call 1 only: the first run's report falls back, the second is normal")
    func perCallFault() async throws {
        let faults = FaultPlan().llm(.fail(.unavailable), agent: "reporting", calls: 1...1)
        try await withLiveServer(llm: faults.makeLLM()) { server in
            let user = try await ITUser.make(server, "percall")
            let (firstRun, first) = try await user.run(IT.insufficient)
            let (secondRun, second) = try await user.run(IT.insufficient)
            #expect(first.last?["degraded"]?.boolValue == true)
            #expect(second.last?["degraded"]?.boolValue == false)
            let journal = JournalAssertions(server.journal)
            #expect(try await journal.runEvents(firstRun).contains { $0.type == "llm_failed" })
            #expect(try await !journal.runEvents(secondRun).contains { $0.type == "llm_failed" })
            try await user.close()
        }
    }

    @Test("a fixed LLM answer is the run's final answer")
    func fixedAnswer() async throws {
        let faults = FaultPlan().llm(.answer("Cut idle servers first. Next steps: 1. Audit usage."), agent: "reporting")
        try await withLiveServer(llm: faults.makeLLM()) { server in
            let user = try await ITUser.make(server, "fixed")
            let (_, frames) = try await user.run(IT.partial)
            #expect(frames.last?["final_response"]?.stringValue == "Cut idle servers first. Next steps: 1. Audit usage.")
            try await user.close()
        }
    }

    // MARK: - The LLM over real HTTP (OpenAICompatibleLLM against StubLLMServer)

    static func withHTTPLLM<T: Sendable>(
        _ script: (StubLLMServer) -> Void, defaultBehaviour: StubLLMServer.Behaviour = .answer("Stub answer."),
        _ body: (LiveServer, StubLLMServer) async throws -> T
    ) async throws -> T {
        try await withStubLLMServer(defaultBehaviour: defaultBehaviour) { stub in
            script(stub)
            let configuration = OpenAICompatibleLLM.Configuration(
                baseURL: stub.baseURL, model: "primary", apiKey: "sk-test-key", fallbackModel: "fallback",
                backoff: [.milliseconds(10), .milliseconds(20)])
            // A clock no one advances: no model time limit passes because a loaded machine stalled.
            return try await OpenAICompatibleLLM.withClient(
                configuration: configuration, timeLimitClock: ManualTimeLimitClock()
            ) { llm in
                try await withLiveServer(llm: llm) { server in try await body(server, stub) }
            }
        }
    }

    @Test("an HTTP LLM's answer becomes the run's answer; model and tokens are journaled")
    func httpLLMAnswer() async throws {
        let report = "Turn off idle servers at night.\n\nNext steps:\n1. Tag idle servers"
        try await Self.withHTTPLLM({ $0.script([.answer(report, promptTokens: 42, completionTokens: 9)], forModel: "primary") }) {
            server, stub in
            let user = try await ITUser.make(server, "http")
            let (runID, frames) = try await user.run(IT.sufficient)
            #expect(frames.last?["final_response"]?.stringValue == report)
            let events = IT.decoded(try await JournalAssertions(server.journal).runEvents(runID))
            let response = events.compactMap { if case .llmResponse(let p) = $0 { p } else { nil } }.first
            #expect(response?.model == "primary")
            #expect(response?.promptTokens == 42 && response?.completionTokens == 9)
            #expect(stub.requests.count == 1)
            try await user.close()
        }
    }

    @Test("the prompt sent over HTTP carries the request and the findings, with the API key")
    func httpLLMPrompt() async throws {
        try await Self.withHTTPLLM({ _ in }) { server, stub in
            let user = try await ITUser.make(server, "prompt")
            let (runID, _) = try await user.run(IT.partial)
            let request = try #require(stub.requests.first)
            #expect(request.model == "primary")
            #expect(request.authorization == "Bearer sk-test-key")
            let prompt = request.messages.last?.content ?? ""
            #expect(prompt.hasPrefix("Request: \(IT.partial)"))
            let journaled = IT.llmRequests(try await JournalAssertions(server.journal).runEvents(runID)).first
            #expect(journaled?.messages.last?.content == prompt)
            try await user.close()
        }
    }

    @Test("the primary model failing three times: the fallback model answers, journaled with every attempt")
    func httpLLMFallback() async throws {
        try await Self.withHTTPLLM({ stub in
            stub.script([.status(503), .status(503), .status(503)], forModel: "primary")
            stub.script([.answer("Fallback report. Next steps: 1. Retry later.")], forModel: "fallback")
        }) { server, stub in
            let user = try await ITUser.make(server, "fallback")
            let (runID, frames) = try await user.run(IT.insufficient)
            #expect(frames.last?["final_response"]?.stringValue == "Fallback report. Next steps: 1. Retry later.")
            let events = IT.decoded(try await JournalAssertions(server.journal).runEvents(runID))
            let response = try #require(events.compactMap { if case .llmResponse(let p) = $0 { p } else { nil } }.first)
            #expect(response.model == "fallback")
            #expect(response.attempts.map(\.model) == ["primary", "primary", "primary", "fallback"])
            #expect(stub.requests(forModel: "primary").count == 3)
            try await user.close()
        }
    }

    @Test("an HTTP LLM answering garbage: llm_failed, the fallback report, a degraded run")
    func httpLLMGarbage() async throws {
        try await Self.withHTTPLLM({ _ in }, defaultBehaviour: .garbage()) { server, _ in
            let user = try await ITUser.make(server, "garbage")
            let (runID, frames) = try await user.run(IT.insufficient)
            #expect(frames.last?.type == "run_completed")
            #expect(frames.last?["degraded"]?.boolValue == true)
            #expect(frames.last?["final_response"]?.stringValue?.contains("Next steps:") == true)
            #expect(try await JournalAssertions(server.journal).runEvents(runID).contains { $0.type == "llm_failed" })
            try await user.close()
        }
    }

    // MARK: - Determinism and the pattern library

    @Test("with the deterministic clock and ids, two runs of the same script journal the same events")
    func deterministicRuns() async throws {
        func record() async throws -> [String] {
            let environment = DeterministicEnvironment()
            return try await withLiveServer(agents: environment.agentsConfiguration(), configure: environment.configure) {
                server in
                let issued = try await server.signUp(username: "determinism")
                let client = try await server.connect(token: issued.token)
                try await client.awaitFrame("connection_established") { $0.type == "connection_established" }
                try await client.send(["type": "user_message", "content": IT.sufficient, "client_message_id": "c1"])
                let received = try await client.awaitFrame("message_received") { $0.type == "message_received" }
                try await client.awaitRunEnd(runID: try #require(received.runID))
                let runID = try #require(received.runID)
                let events = try await server.journal.events(filter: .run(runID))
                try await client.close()
                return [runID] + events.map(DeterministicEnvironment.comparable)
            }
        }
        let first = try await record()
        let second = try await record()
        #expect(first.count > 20)
        let index = zip(first, second).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(first == second, "first difference at \(index ?? -1): \(index.map { first[$0] } ?? "") vs \(index.map { second[$0] } ?? "")")
    }

    @Test("a run checked against the wrong pattern gives a diff marking the first difference")
    func patternDiff() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "diff")
        let (runID, _) = try await user.run(IT.insufficient)
        let journal = JournalAssertions(server.journal)
        let mismatch = try #require(try await journal.runMismatch(runID, .goldenPath(agents: IT.sufficientPath)))
        #expect(mismatch.actualEvent?.type == "agent_started" && mismatch.actualEvent?.agent == "data_helper")
        #expect(mismatch.expectedElement == .event("agent_started", agent: "data"))
        #expect(mismatch.description.contains(">> "))
        #expect(try await journal.runMismatch(runID, [.event("user_message"), .oneOrMore(.any)]) == nil)
        #expect(try await journal.runMismatch(runID, [.zeroOrMore(.any), .event("run_completed", status: "completed")]) == nil)
        #expect(try await journal.runMismatch(runID, [.zeroOrMore(.any), .event("run_failed")]) != nil)
        #expect(try await journal.runMismatch(runID, .goldenPath(agents: IT.insufficientPath)) == nil)
        try await user.close()
    }
}
