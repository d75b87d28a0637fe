import AgentRuntime
import Foundation
import GoldenPathTesting
import Journal
import StandardPipeline
import Logging
import Synchronization
import Testing

/// Start-up recovery resuming runs from their last completed step (``RecoveryPolicy/resume``).
///
/// Each test "kills" a coordinator mid-run by closing the journal under it (nothing more is written, not even a
/// terminal event — what SIGKILL leaves), then starts a new coordinator on the same file.
// The limit guards against a hang. Two of these tests take 0.8 s alone but 5–60 s beside the whole suite with the
// PostgreSQL cases (docs: the fourth session's note) — slow under the process's load, not stuck; 2 minutes until
// that is understood.
@Suite("Run resume", .timeLimit(.minutes(5)))
struct RunResumeTests {
    static let logger = Logger(label: "resume-tests", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test("cut off inside reporting's LLM call: the run goes on from there; no tool or LLM call is done twice")
    func resumesFromTheLastCompletedStep() async throws {
        let file = try AgentsTestJournal()
        defer { file.remove() }
        let runID = try await crash(file, Messages.sufficient, llm: ScriptedLLM(behavior: .delayed(by: .seconds(3_600)))) {
            $0.type == "llm_request"
        }

        let calls = ToolCallCounter()
        let llm = ScriptedLLM()
        let (recovered, events) = try await resume(file, runID: runID, llm: llm) { configuration in
            configuration.tools = calls.counting(ToolRegistry.standard.overlaid(by: configuration.tools))
        }
        #expect(recovered == [RecoveredRun(runID: runID, decision: .resumed)])
        #expect(events.last?.type == "run_completed")
        // Only the step that had not finished ran: the report tool's LLM call, once.
        #expect(calls.counts == ["llm_report_generation": 1])
        #expect(llm.callCount == 1)
        // The journaled steps were reproduced, not appended again: run_recovery sits right after the last of them.
        let recovery = try #require(events.firstIndex { $0.type == "run_recovery" })
        #expect(events[recovery - 1].type == "llm_request")
        #expect(
            events[(recovery + 1)...].map(\.type).prefix(3) == ["agent_response_delta", "llm_response", "tool_completed"])
        let decision = try #require(payloads(events) { if case .runRecovery(let p) = $0 { p } else { nil } }.first)
        #expect(decision.decision == .resumed)
        #expect(decision.lastSeq == events[recovery - 1].seq)
        // The run reads as one uninterrupted run, event for event.
        #expect(describe(events.filter { $0.type != "run_recovery" }) == (try await uninterrupted(Messages.sufficient)))
        #expect(Set(events.map(\.eventID)).count == events.count)
        try await expectSound(file, runID: runID)
    }

    @Test("cut off mid-answer: the answer is reset (recovery) and streamed anew under a new response id")
    func resumesAStreamedAnswer() async throws {
        let file = try AgentsTestJournal()
        defer { file.remove() }
        let stuck = ManualTimeLimitClock()  // never advanced: the model stops after its first piece
        let runID = try await crash(
            file, Messages.sufficient, llm: ScriptedLLM(streaming: .init(wordsPerChunk: 2, pace: .seconds(1), clock: stuck))
        ) { $0.type == "agent_response_delta" }

        let llm = ScriptedLLM()
        let (recovered, events) = try await resume(file, runID: runID, llm: llm)
        #expect(recovered == [RecoveredRun(runID: runID, decision: .resumed)])
        #expect(events.last?.type == "run_completed")
        #expect(llm.callCount == 1)  // the call that was streaming is made again: at-least-once
        // The streamed part stays; run_recovery, then its reset, then the new answer.
        let recovery = try #require(events.firstIndex { $0.type == "run_recovery" })
        #expect(Array(events[(recovery - 2)...].prefix(5).map(\.type)) == [
            "llm_request", "agent_response_delta", "run_recovery", "agent_response_reset", "agent_response_delta",
        ])
        let resets = payloads(events) { if case .agentResponseReset(let p) = $0 { p } else { nil } }
        #expect(resets == [AgentResponseReset(agentName: "reporting", responseID: "r1", reason: .recovery)])
        let deltas = payloads(events) { if case .agentResponseDelta(let p) = $0 { p } else { nil } }
        #expect(deltas.map(\.responseID) == ["r1", "r2"])
        #expect(deltas.map(\.chunkIndex) == [0, 0])
        // What a client rebuilds: the deltas of the last response not reset add up to the final response.
        let answer = payloads(events) { if case .runCompleted(let p) = $0 { p.finalResponse } else { nil } }.first
        #expect(deltas.filter { $0.responseID == "r2" }.map(\.delta).joined() == answer)
        #expect(Set(events.map(\.eventID)).count == events.count)
        try await expectSound(file, runID: runID)
    }

    @Test("a tool call that started but never finished runs again; the tools before it are reused")
    func unfinishedToolRunsAgain() async throws {
        let file = try AgentsTestJournal()
        defer { file.remove() }
        let runID = try await crash(
            file, Messages.sufficient, { $0.tools = $0.tools.replacing(BlockingTool(name: "estimate_cost_change")) }
        ) { $0.type == "tool_executing" && $0.payload.contains("estimate_cost_change") }

        let calls = ToolCallCounter()
        let (_, events) = try await resume(file, runID: runID) { configuration in
            configuration.tools = calls.counting(ToolRegistry.standard.overlaid(by: configuration.tools))
        }
        #expect(events.last?.type == "run_completed")
        #expect(calls.counts["classify_request"] == nil)
        #expect(calls.counts["extract_metrics"] == nil)
        #expect(calls.counts["estimate_cost_change"] == 1)
        #expect(calls.counts["rank_options"] == 1)
        let executing = events.filter { $0.type == "tool_executing" && $0.payload.contains("estimate_cost_change") }
        #expect(executing.count == 1, "the started call is journaled once")
        let recovery = try #require(events.firstIndex { $0.type == "run_recovery" })
        #expect(events[recovery - 1].seq == executing.first?.seq)
        #expect(describe(events.filter { $0.type != "run_recovery" }) == (try await uninterrupted(Messages.sufficient)))
        try await expectSound(file, runID: runID)
    }

    @Test("a message accepted but never executed is resumed from its start")
    func acceptedButNeverExecuted() async throws {
        let file = try AgentsTestJournal()
        defer { file.remove() }
        let runID: String
        do {
            let journal = try file.open()
            let crashed = RunCoordinator(journal: journal, pipeline: StandardPipeline.make(), llm: ScriptedLLM(), logger: Self.logger)
            runID = try await crashed.submit(IncomingMessage(userID: "alice", content: Messages.partial)).runID
            try journal.close()
        }
        let (recovered, events) = try await resume(file, runID: runID)
        #expect(recovered.map(\.decision) == [.resumed])
        #expect(events.map(\.type).prefix(4) == ["user_message", "message_received", "run_recovery", "agent_started"])
        #expect(describe(events.filter { $0.type != "run_recovery" }) == (try await uninterrupted(Messages.partial)))
        try await expectSound(file, runID: runID)
    }

    @Test("code that changed since the crash diverges: run_recovery {interrupted} says where, the run ends INTERRUPTED")
    func divergenceEndsTheRunInterrupted() async throws {
        let file = try AgentsTestJournal()
        defer { file.remove() }
        let runID = try await crash(
            file, Messages.sufficient, { $0.tools = $0.tools.replacing(BlockingTool(name: "estimate_cost_change")) }
        ) { $0.type == "tool_executing" && $0.payload.contains("estimate_cost_change") }
        let before = try await stream(file, runID: runID)

        let calls = ToolCallCounter()
        var changed = StandardPipeline.Options()
        changed.agentsAfterTriage = { _ in [.dataHelper, .reporting] }
        let (recovered, events) = try await resume(file, runID: runID, pipeline: changed) { configuration in
            configuration.tools = calls.counting(ToolRegistry.standard.overlaid(by: configuration.tools))
        }
        #expect(recovered.map(\.decision) == [.resumed])
        #expect(Array(events.prefix(before.count)) == before, "nothing of the old run was rewritten")
        #expect(events.dropFirst(before.count).map(\.type) == ["run_recovery", "run_failed"])
        let decision = try #require(payloads(events) { if case .runRecovery(let p) = $0 { p } else { nil } }.first)
        #expect(decision.decision == .interrupted)
        #expect(decision.reason.contains("diverged"), "\(decision.reason)")
        #expect(payloads(events) { if case .runFailed(let p) = $0 { p.errorCode } else { nil } } == ["INTERRUPTED"])
        #expect(calls.counts.isEmpty, "a diverging run does no live work")
        try await expectSound(file, runID: runID)
    }

    @Test("a run that keeps bringing the process down is resumed at most maximumResumeAttempts times")
    func resumeAttemptsAreBounded() async throws {
        let file = try AgentsTestJournal()
        defer { file.remove() }
        let blocking = ScriptedLLM(behavior: .delayed(by: .seconds(3_600)))
        let runID = try await crash(file, Messages.insufficient, llm: blocking) { $0.type == "llm_request" }
        // Resumed once: the decision is journaled before the blocked call runs live, then the process dies again.
        do {
            let journal = try file.open()
            let coordinator = RunCoordinator(
                journal: journal, pipeline: StandardPipeline.make(), llm: blocking, logger: Self.logger)
            let task = Task { try await coordinator.run() }
            #expect(try await coordinator.recoverInterruptedRuns().map(\.decision) == [.resumed])
            for try await event in journal.subscribe(filter: .stream(EventStreams.run(runID)))
            where event.type == "run_recovery" {
                break
            }
            try journal.close()
            task.cancel()
            _ = try? await task.value
        }
        let (recovered, events) = try await resume(file, runID: runID) { $0.maximumResumeAttempts = 1 }
        #expect(recovered.map(\.decision) == [.interrupted])
        #expect(events.suffix(3).map(\.type) == ["run_recovery", "run_recovery", "run_failed"])
        let decisions = payloads(events) { if case .runRecovery(let p) = $0 { p } else { nil } }
        #expect(decisions.map(\.decision) == [.resumed, .interrupted])
        #expect(decisions.last?.reason.contains("resumed 1 times") == true)
        #expect(events.filter { $0.type == "run_recovery" }.map(\.eventID) == ["\(runID):recovery:1", "\(runID):recovery:2"])
        try await expectSound(file, runID: runID)
    }

    @Test("under RecoveryPolicy.interrupt the same run is ended INTERRUPTED instead")
    func interruptPolicy() async throws {
        let file = try AgentsTestJournal()
        defer { file.remove() }
        let runID = try await crash(file, Messages.partial, llm: ScriptedLLM(behavior: .delayed(by: .seconds(3_600)))) {
            $0.type == "llm_request"
        }
        let calls = ToolCallCounter()
        let (recovered, events) = try await resume(file, runID: runID) { configuration in
            configuration.recoveryPolicy = .interrupt
            configuration.tools = calls.counting(ToolRegistry.standard.overlaid(by: configuration.tools))
        }
        #expect(recovered == [RecoveredRun(runID: runID, decision: .interrupted)])
        #expect(events.suffix(2).map(\.type) == ["run_recovery", "run_failed"])
        #expect(calls.counts.isEmpty)
        try await expectSound(file, runID: runID)
    }

    // MARK: - Support

    /// Starts `content` on a coordinator over `file`, waits for the first event of its run matching `until`, then
    /// closes the journal under the coordinator and cancels it: the run is left without a terminal event.
    private func crash(
        _ file: AgentsTestJournal, _ content: String, llm: ScriptedLLM = ScriptedLLM(),
        _ configure: (inout AgentsConfiguration) -> Void = { _ in },
        until predicate: @escaping @Sendable (RecordedEvent) -> Bool
    ) async throws -> String {
        let journal = try file.open()
        var configuration = AgentsConfiguration()
        configure(&configuration)
        configuration.terminalAppendAttempts = 1
        let coordinator = RunCoordinator(
            journal: journal, pipeline: StandardPipeline.make(), llm: llm, configuration: configuration,
            logger: Self.logger)
        let task = Task { try await coordinator.run() }
        let runID = try await coordinator.submit(IncomingMessage(userID: "alice", content: content)).runID
        for try await event in journal.subscribe(filter: .stream(EventStreams.run(runID))) where predicate(event) {
            break
        }
        try journal.close()
        task.cancel()
        _ = try? await task.value
        let reopened = try file.open()
        defer { try? reopened.close() }
        #expect(try await reopened.stream(EventStreams.run(runID)).allSatisfy { !AgentEvent.terminalTypes.contains($0.type) })
        return runID
    }

    /// Opens `file` with a new coordinator, recovers, and returns the decisions and the run's events once it ended.
    private func resume(
        _ file: AgentsTestJournal, runID: String, llm: ScriptedLLM = ScriptedLLM(),
        pipeline: StandardPipeline.Options = StandardPipeline.Options(),
        _ configure: (inout AgentsConfiguration) -> Void = { _ in }
    ) async throws -> ([RecoveredRun], [RecordedEvent]) {
        let journal = try file.open()
        defer { try? journal.close() }
        var configuration = AgentsConfiguration()
        configure(&configuration)
        let coordinator = RunCoordinator(
            journal: journal, pipeline: StandardPipeline.make(pipeline), llm: llm, configuration: configuration,
            logger: Self.logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await coordinator.run() }
            let recovered = try await coordinator.recoverInterruptedRuns()
            var events: [RecordedEvent] = []
            for try await event in journal.subscribe(filter: .stream(EventStreams.run(runID))) {
                events.append(event)
                if AgentEvent.terminalTypes.contains(event.type) { break }
            }
            coordinator.beginShutdown()
            try await group.waitForAll()
            return (recovered, events)
        }
    }

    /// The run's events as journaled now.
    private func stream(_ file: AgentsTestJournal, runID: String) async throws -> [RecordedEvent] {
        let journal = try file.open()
        defer { try? journal.close() }
        return try await journal.stream(EventStreams.run(runID))
    }

    /// What the same message journals when nothing interrupts it.
    private func uninterrupted(_ content: String) async throws -> [String] {
        try await withCoordinator { harness in describe(try await harness.runToEnd(content)) }
    }

    /// The journal verifies (strictly: no run is left open), the run has one terminal event, and `replay --verify`
    /// finds the resumed run equal to a fresh execution.
    private func expectSound(_ file: AgentsTestJournal, runID: String) async throws {
        let journal = try file.open()
        defer { try? journal.close() }
        let report = try await journal.verify()
        #expect(report.passes(strict: true), "\(report.problems) \(report.warnings)")
        let events = try await journal.stream(EventStreams.run(runID))
        #expect(events.filter { AgentEvent.terminalTypes.contains($0.type) }.count == 1)
        let verification = try await RunVerifier(pipeline: StandardPipeline.make()).verify(runID: runID, in: journal)
        #expect(verification.divergence == nil, "\(String(describing: verification.divergence))")
    }
}
