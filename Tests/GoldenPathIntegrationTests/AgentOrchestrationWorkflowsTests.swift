import AgentRuntime
import Foundation
import GRDB
import Gateway
import GoldenPathTesting
import Journal
import StandardPipeline
import Testing

/// A point where a sub-agent fails, and what SPEC §5 says follows: the agents that still run, those skipped.
struct ITFailurePoint: Sendable, CustomTestStringConvertible {
    let tool: String
    let request: String
    let failingAgent: String
    /// Every sub-agent that starts, in order (the failing one included).
    let ran: [String]
    /// The agents skipped because they need the failed one's result.
    let skipped: [String]

    var testDescription: String { "\(tool) failing in \(failingAgent) (\(ran.joined(separator: "→")))" }

    static let all: [ITFailurePoint] = [
        ITFailurePoint(tool: "classify_request", request: IT.sufficient, failingAgent: "triage",
            ran: ["triage", "reporting"], skipped: []),
        ITFailurePoint(tool: "extract_metrics", request: IT.sufficient, failingAgent: "data",
            ran: ["triage", "data", "reporting"], skipped: ["optimization", "actions"]),
        ITFailurePoint(tool: "estimate_cost_change", request: IT.sufficient, failingAgent: "optimization",
            ran: ["triage", "data", "optimization", "reporting"], skipped: ["actions"]),
        ITFailurePoint(tool: "rank_options", request: IT.sufficient, failingAgent: "optimization",
            ran: ["triage", "data", "optimization", "reporting"], skipped: ["actions"]),
        ITFailurePoint(tool: "plan_actions", request: IT.sufficient, failingAgent: "actions",
            ran: ["triage", "data", "optimization", "actions", "reporting"], skipped: []),
        ITFailurePoint(tool: "identify_missing_data", request: IT.partial, failingAgent: "data_helper",
            ran: ["triage", "data_helper", "data", "reporting"], skipped: []),
        ITFailurePoint(tool: "extract_metrics", request: IT.partial, failingAgent: "data",
            ran: ["triage", "data_helper", "data", "reporting"], skipped: []),
    ]

    /// The exact frame pattern of the run.
    var pattern: EventPattern {
        .run(
            ran.reduce(EventPattern([])) { pattern, agent in
                pattern
                    + (agent == failingAgent
                        ? .failingAgent(agent, failingTool: tool, framesOnly: true) : .agent(agent, framesOnly: true))
            }, framesOnly: true)
    }
}

/// The supervisor's coordination: which agents it picks, what passes from one to the next, how a failure
/// propagates, concurrent runs, and the order of dependent steps — all read from the journal and the frames.
@Suite("Agent orchestration workflows", .timeLimit(.minutes(5)))
struct AgentOrchestrationWorkflowsTests {
    static let shared = ITSharedServer()

    // MARK: - Coordination

    @Test("triage's verdict decides the agents; the runs row records the path", arguments: ["sufficient", "partial", "insufficient"])
    func pathByVerdict(sufficiency: String) async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "path")
        let (runID, frames) = try await user.run(IT.request(for: sufficiency))
        #expect(IT.agentOrder(frames) == IT.path(for: sufficiency))
        let journal = JournalAssertions(server.journal)
        let classified = IT.toolResults(try await journal.runEvents(runID)).first { $0.toolName == "classify_request" }
        #expect(classified?.results["data_sufficiency"]?.stringValue == sufficiency)
        #expect(try await journal.integer("SELECT COUNT(*) FROM runs WHERE run_id = ? AND path = ?", [runID, sufficiency]) == 1)
        try await user.close()
    }

    @Test("triage's category, priority and sufficiency reach every later tool's parameters", arguments: ["sufficient", "partial", "insufficient"])
    func classificationHandOff(sufficiency: String) async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "handoff")
        let (runID, _) = try await user.run(IT.request(for: sufficiency))
        let events = try await JournalAssertions(server.journal).runEvents(runID)
        let triage = try #require(IT.toolResults(events).first { $0.toolName == "classify_request" })
        let later = IT.toolCalls(events).filter { $0.agentName != "triage" }
        #expect(later.count >= 2)
        for call in later {
            #expect(call.parameters["data_sufficiency"] == triage.results["data_sufficiency"], "\(call.toolName)")
            #expect(call.parameters["category"] == triage.results["category"], "\(call.toolName)")
            #expect(call.parameters["priority"] == triage.results["priority"], "\(call.toolName)")
        }
        try await user.close()
    }

    @Test("data's metrics are optimization's input")
    func metricsHandOff() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "metrics")
        let (runID, _) = try await user.run(IT.sufficient)
        let events = try await JournalAssertions(server.journal).runEvents(runID)
        let metrics = try #require(IT.toolResults(events).first { $0.toolName == "extract_metrics" }?.results["metrics"])
        #expect((metrics.arrayValue ?? []).count == 2)
        let estimate = IT.toolCalls(events).first { $0.toolName == "estimate_cost_change" }
        #expect(estimate?.parameters["metrics"] == metrics)
        try await user.close()
    }

    @Test("optimization's estimate and best option are the actions agent's input")
    func optionHandOff() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "option")
        let (runID, _) = try await user.run(IT.sufficient)
        let events = try await JournalAssertions(server.journal).runEvents(runID)
        let results = IT.toolResults(events)
        let estimate = results.first { $0.toolName == "estimate_cost_change" }?.results["estimated_change_pct"]
        let top = results.first { $0.toolName == "rank_options" }?.results["top"]
        let calls = IT.toolCalls(events)
        #expect(estimate != nil && calls.first { $0.toolName == "rank_options" }?.parameters["estimated_change_pct"] == estimate)
        let plan = calls.first { $0.toolName == "plan_actions" }
        #expect(top != nil && plan?.parameters["top_option"] == top)
        #expect(plan?.parameters["estimated_change_pct"] == estimate)
        try await user.close()
    }

    @Test("every earlier agent's finding reaches reporting's parameters and the LLM prompt")
    func findingsHandOff() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "report")
        let (runID, _) = try await user.run(IT.sufficient)
        let events = try await JournalAssertions(server.journal).runEvents(runID)
        let call = try #require(IT.toolCalls(events).first { $0.toolName == "llm_report_generation" })
        let findings = (call.parameters["findings"]?.arrayValue ?? []).compactMap(\.stringValue)
        #expect(findings.map { String($0.prefix { $0 != ":" }) } == ["triage", "data", "optimization", "actions"])
        let prompt = IT.llmRequests(events).first?.messages.last?.content ?? ""
        for finding in findings { #expect(prompt.contains(finding), "\(finding)") }
        try await user.close()
    }

    @Test("data_helper's list of missing data reaches reporting and the answer's next steps")
    func missingDataHandOff() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "missing")
        let (runID, frames) = try await user.run(IT.insufficient)
        let events = try await JournalAssertions(server.journal).runEvents(runID)
        let call = try #require(IT.toolCalls(events).first { $0.toolName == "llm_report_generation" })
        let missing = (call.parameters["missing"]?.arrayValue ?? []).compactMap(\.stringValue)
        #expect(!missing.isEmpty)
        let helper = IT.toolResults(events).first { $0.toolName == "identify_missing_data" }?.results.jsonText ?? ""
        for item in missing { #expect(helper.contains(item), "\(item)") }
        let answer = frames.last?["final_response"]?.stringValue ?? ""
        #expect(answer.contains("Send the missing data"))
        try await user.close()
    }

    // MARK: - Error propagation

    @Test("a failing step: agent_error, dependents skipped, reporting still answers, run degraded", arguments: ITFailurePoint.all)
    func failurePropagation(point: ITFailurePoint) async throws {
        let faults = FaultPlan().failingTool(point.tool)
        try await withLiveServer(agents: faults.apply(to: AgentsConfiguration())) { server in
            let user = try await ITUser.make(server, "fail")
            let (runID, frames) = try await user.run(point.request)
            let journal = JournalAssertions(server.journal)
            try await journal.expectRun(runID, matches: point.pattern, framesOnly: true)
            let error = frames.first { $0.type == "agent_error" }
            #expect(error?.agentName == point.failingAgent)
            #expect(error?["error_code"]?.stringValue == "TOOL_FAILED")
            let end = try #require(frames.last)
            #expect(end.type == "run_completed" && end["degraded"]?.boolValue == true)
            let answer = end["final_response"]?.stringValue ?? ""
            for skipped in point.skipped {
                #expect(answer.contains("\(skipped): skipped because"), "\(skipped) not reported: \(answer)")
            }
            #expect(answer.contains(point.failingAgent))
            try await user.close()
        }
    }

    @Test("a hanging tool times out: tool_completed timeout, agent_error, agent_completed failed, degraded")
    func toolTimeoutPropagation() async throws {
        var agents = FaultPlan().hangingTool("extract_metrics").apply(to: AgentsConfiguration())
        let clock = ManualTimeLimitClock()  // the limit passes when the test says so, not in 2 real seconds
        agents.toolTimeout = .seconds(2)
        agents.timeLimitClock = clock
        try await withLiveServer(agents: agents) { server in
            let user = try await ITUser.make(server, "hang")
            let runID = try #require(try await user.send(IT.sufficient).runID)
            try await user.client.awaitFrame("the hanging tool") {
                $0.type == "tool_executing" && $0.toolName == "extract_metrics"
            }
            await clock.waitForSleeper(dueWithin: .seconds(2))  // the limit to pass has started
            clock.advance(by: .seconds(2))
            let frames = try await user.client.awaitRunEnd(runID: runID)
            try await JournalAssertions(server.journal).expectRun(
                runID,
                matches: .run(
                    .agent("triage", framesOnly: true)
                        + .failingAgent("data", failingTool: "extract_metrics", toolStatus: "timeout", framesOnly: true)
                        + .agent("reporting", framesOnly: true), framesOnly: true), framesOnly: true)
            #expect(frames.first { $0.type == "agent_error" }?["error_code"]?.stringValue == "TOOL_TIMEOUT")
            #expect(frames.last?["degraded"]?.boolValue == true)
            try await user.close()
        }
    }

    @Test("the LLM failing in reporting never fails the run: the fallback report answers, degraded")
    func llmFailurePropagation() async throws {
        let faults = FaultPlan().llm(.fail(.unavailable), agent: "reporting")
        try await withLiveServer(llm: faults.makeLLM()) { server in
            let user = try await ITUser.make(server, "llmfail")
            let (runID, frames) = try await user.run(IT.sufficient)
            #expect(frames.last?.type == "run_completed")
            #expect(frames.last?["degraded"]?.boolValue == true)
            #expect(frames.contains { $0.type == "agent_completed" && $0.agentName == "reporting"
                && $0["status"]?.stringValue == "completed" })
            let types = try await JournalAssertions(server.journal).runEvents(runID).map(\.type)
            #expect(types.contains("llm_failed") && !types.contains("run_failed"))
            try await user.close()
        }
    }

    @Test("garbage from the LLM is not passed on as the answer")
    func garbagePropagation() async throws {
        try await withLiveServer(llm: FaultPlan().llm(.garbage).makeLLM()) { server in
            let user = try await ITUser.make(server, "garbage")
            let (_, frames) = try await user.run(IT.partial)
            let answer = frames.last?["final_response"]?.stringValue ?? ""
            #expect(!answer.contains("\u{7}") && !answer.contains("{{]]"))
            #expect(frames.last?["degraded"]?.boolValue == true)
            try await user.close()
        }
    }

    @Test("a run without failures is not degraded and lists no failed steps")
    func cleanRunNotDegraded() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "clean")
        let (_, frames) = try await user.run(IT.sufficient)
        #expect(frames.last?["degraded"]?.boolValue == false)
        #expect(!frames.contains { $0.type == "agent_error" })
        #expect(frames.filter { $0.type == "agent_completed" }.allSatisfy { $0["status"]?.stringValue == "completed" })
        let answer = frames.last?["final_response"]?.stringValue ?? ""
        #expect(answer.contains("skipped because") == false)
        #expect(answer.contains("What could not be determined") == false)
        try await user.close()
    }

    // MARK: - Concurrency

    @Test("one user's three concurrent runs, one per outcome, each follow their own path")
    func concurrentRunsOfOneUser() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "conc")
        var runs: [(String, String)] = []
        for outcome in IT.outcomes {
            let received = try await user.send(outcome.request)
            runs.append((try #require(received.runID), outcome.sufficiency))
        }
        let journal = JournalAssertions(server.journal)
        for (runID, sufficiency) in runs {
            let frames = try await user.client.awaitRunEnd(runID: runID)
            #expect(IT.agentOrder(frames) == IT.path(for: sufficiency))
            try await journal.expectRun(runID, matches: .goldenPath(agents: IT.path(for: sufficiency)))
        }
        #expect(Set(runs.map(\.0)).count == 3)
        try await user.close()
    }

    @Test("a fourth concurrent run of one user is TOO_MANY_RUNS; the three others complete")
    func runLimit() async throws {
        let gate = GatedLLM()
        try await withLiveServer(llm: gate) { server in
            let user = try await ITUser.make(server, "limit")
            var runs: [String] = []
            for _ in 0..<3 { runs.append(try #require(try await user.send(IT.insufficient).runID)) }
            let start = user.client.frames.count
            try await user.client.send(["type": "user_message", "content": IT.insufficient])
            // The fourth message's answer, whichever it is: a broken limit fails here, not at a timeout.
            let refused = try await user.client.awaitFrame(from: start, "TOO_MANY_RUNS") {
                $0.type == "error" || $0.type == "message_received"
            }
            #expect(refused.code == "TOO_MANY_RUNS", "\(refused.text)")
            gate.open()
            for runID in runs { #expect(try await user.client.awaitRunEnd(runID: runID).last?.type == "run_completed") }
            #expect(try await JournalAssertions(server.journal).integer(
                "SELECT COUNT(*) FROM runs WHERE user_id = ?", [user.userID]) == 3)
            try await user.close()
        }
    }

    @Test("a repeated client_message_id while the user is at the run limit gets the original message_received, not TOO_MANY_RUNS")
    func repeatAtTheRunLimit() async throws {
        let gate = GatedLLM()
        try await withLiveServer(llm: gate) { server in
            let user = try await ITUser.make(server, "limit-repeat")
            var runs: [String] = []
            for _ in 0..<2 { runs.append(try #require(try await user.send(IT.insufficient).runID)) }
            let clientMessageID = UUID().uuidString
            let message: [String: any Sendable] = [
                "type": "user_message", "content": IT.insufficient, "client_message_id": clientMessageID,
            ]
            var start = user.client.frames.count
            try await user.client.send(message)
            let original = try await user.client.awaitFrame(from: start, "the third run's message_received") {
                $0.type == "message_received" || $0.type == "error"
            }
            let runID = try #require(original.runID, "\(original.text)")
            runs.append(runID)
            // Three runs open: the limit. The same message again is answered, not refused.
            start = user.client.frames.count
            try await user.client.send(message)
            let repeated = try await user.client.awaitFrame(from: start, "the repeat's answer") {
                $0.type == "message_received" || $0.type == "error"
            }
            #expect(repeated.type == "message_received", "\(repeated.text)")
            #expect(repeated.runID == runID)
            #expect(repeated.seq == original.seq, "the original message_received is sent again")
            gate.open()
            for runID in runs { #expect(try await user.client.awaitRunEnd(runID: runID).last?.type == "run_completed") }
            #expect(try await JournalAssertions(server.journal).integer(
                "SELECT COUNT(*) FROM runs WHERE user_id = ?", [user.userID]) == 3)
            try await user.close()
        }
    }

    @Test("ten users' concurrent runs all complete, each on its own path")
    func concurrentRunsOfManyUsers() async throws {
        let server = try await Self.shared.get()
        let results = try await withThrowingTaskGroup(of: (String, String, [TestWebSocketClient.Frame]).self) { group in
            for index in 0..<10 {
                group.addTask {
                    let outcome = IT.outcomes[index % 3]
                    let user = try await ITUser.make(server, "many")
                    let (runID, frames) = try await user.run(outcome.request)
                    try await user.close()
                    return (runID, outcome.sufficiency, frames)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 10)
        for (runID, sufficiency, frames) in results {
            #expect(frames.last?.type == "run_completed", "\(runID)")
            #expect(IT.agentOrder(frames) == IT.path(for: sufficiency))
        }
    }

    // MARK: - Dependency order

    @Test("every agent starts after the one before it completed (journal seq order)", arguments: ["sufficient", "partial", "insufficient"])
    func dependencyOrder(sufficiency: String) async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "order")
        let (runID, _) = try await user.run(IT.request(for: sufficiency))
        let events = try await JournalAssertions(server.journal).runEvents(runID)
        let summaries = events.map(EventSummary.init)
        let path = IT.path(for: sufficiency)
        for (before, after) in zip(path, path.dropFirst()) {
            let completed = try #require(summaries.first { $0.type == "agent_completed" && $0.agent == before }?.seq)
            let started = try #require(summaries.first { $0.type == "agent_started" && $0.agent == after }?.seq)
            #expect(completed < started, "\(before) completed at \(completed), \(after) started at \(started)")
        }
        try await user.close()
    }

    @Test("under five concurrent users, data completes before optimization starts in every run")
    func dependencyOrderUnderLoad() async throws {
        let server = try await Self.shared.get()
        let runIDs = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<5 {
                group.addTask {
                    let user = try await ITUser.make(server, "load")
                    let (runID, _) = try await user.run(IT.sufficient)
                    try await user.close()
                    return runID
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let journal = JournalAssertions(server.journal)
        for runID in runIDs {
            let violations = try await journal.integer(
                "SELECT COUNT(*) FROM events c JOIN events s ON s.run_id = c.run_id WHERE c.run_id = ? "
                    + "AND c.type = 'agent_completed' AND json_extract(c.payload, '$.agent_name') = 'data' "
                    + "AND s.type = 'agent_started' AND json_extract(s.payload, '$.agent_name') = 'optimization' "
                    + "AND s.seq < c.seq", [runID])
            #expect(violations == 0)
            try await journal.expectRun(runID, matches: .goldenPath(agents: IT.sufficientPath))
        }
    }

    @Test("reporting runs last in every run, whatever failed before it")
    func reportingLast() async throws {
        let faults = FaultPlan().failingTool("classify_request")
        try await withLiveServer(agents: faults.apply(to: AgentsConfiguration())) { server in
            let user = try await ITUser.make(server, "last")
            let (_, frames) = try await user.run(IT.sufficient)
            #expect(IT.agentOrder(frames).last == "reporting")
            let lastStart = frames.lastIndex { $0.type == "agent_started" }
            #expect(lastStart.map { frames[$0].agentName } == "reporting")
            try await user.close()
        }
    }

    @Test("stop_agent mid-run: run_cancelled, and no agent starts after it")
    func stopMidRun() async throws {
        let gate = GatedLLM()
        try await withLiveServer(llm: gate) { server in
            let user = try await ITUser.make(server, "stop")
            let runID = try #require(try await user.send(IT.insufficient).runID)
            let journal = JournalAssertions(server.journal)
            try await journal.awaitEvent(.run(runID)) { $0.type == "llm_request" }
            try await user.client.send(["type": "stop_agent", "run_id": runID])
            let frames = try await user.client.awaitRunEnd(runID: runID)
            #expect(frames.last?.type == "run_cancelled")
            let events = try await journal.runEvents(runID)
            #expect(events.filter { AgentEvent.terminalTypes.contains($0.type) }.count == 1)
            gate.open()
            try await user.close()
        }
    }

    @Test("the runs row lists the agents in the order they started in the journal")
    func agentsColumn() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "column")
        let (runID, _) = try await user.run(IT.partial)
        let journal = JournalAssertions(server.journal)
        let started = IT.started(try await journal.runEvents(runID)).map(\.agentName)
        let column = try await journal.lines("SELECT agents FROM runs WHERE run_id = ?", [runID])
        #expect(column.map { $0.replacingOccurrences(of: "\"", with: "") } == [started.joined(separator: ",")])
        try await user.close()
    }
}
