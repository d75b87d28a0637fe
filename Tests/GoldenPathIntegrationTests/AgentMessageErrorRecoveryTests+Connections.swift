import AgentRuntime
import Foundation
import GRDB
import Gateway
import GoldenPathTesting
import Journal
import StandardPipeline
import Testing

extension AgentMessageErrorRecoveryTests {
    // MARK: - WebSocket failures

    @Test("a run goes on when its user disconnects; resume after the last seen seq gives every missed frame once")
    func disconnectMidRun() async throws {
        let llm = GatedLLM()
        try await withLiveServer(llm: llm) { server in
            let (token, client) = try await signedInClient(server, "drop")
            let runID = try await sendMessage(client, content: RecoveryMessages.sufficient)
            try await client.awaitFrame("reporting started") {
                $0.type == "tool_executing" && $0.toolName == "llm_report_generation"
            }
            let lastSeen = try #require(client.frames.compactMap(\.seq).max())
            try await client.close()
            llm.open()
            try await awaitTerminal(server.journal, runID: runID)
            let again = try await server.connect(token: token.token)
            try await again.send(["type": "resume", "after_seq": Int(lastSeen)])
            try await again.awaitFrame("resume_completed") { $0.type == "resume_completed" }
            let resent = again.frames.filter { $0.runID == runID }
            let expected = try await journalFrames(server.journal, runID: runID).filter { $0.seq > lastSeen }
            #expect(!expected.isEmpty)
            #expect(resent.map(FrameKey.init) == expected.map(FrameKey.init))
            let all = (client.frames + resent).filter { $0.runID == runID }.compactMap(\.seq)
            #expect(Set(all).count == all.count, "a frame arrived twice")
            try await again.close()
        }
    }

    @Test("dropping and resuming five times during a run loses nothing and repeats nothing")
    func repeatedReconnects() async throws {
        let llm = GatedLLM()
        try await withLiveServer(llm: llm) { server in
            let (token, first) = try await signedInClient(server, "flappy")
            let runID = try await sendMessage(first, content: RecoveryMessages.partial)
            var seen = first.frames.filter { $0.runID == runID }
            var lastSeq = seen.compactMap(\.seq).max() ?? 0
            try await first.close()
            for round in 0..<5 {
                if round == 3 { llm.open() }
                let client = try await server.connect(token: token.token)
                try await client.send(["type": "resume", "after_seq": Int(lastSeq)])
                try await client.awaitFrame("resume_completed") { $0.type == "resume_completed" }
                let got = client.frames.filter { $0.runID == runID && $0.seq != nil }
                #expect(Set(got.compactMap(\.seq)).count == got.count, "a connection got a frame twice")
                seen += got
                lastSeq = max(lastSeq, got.compactMap(\.seq).max() ?? 0)
                try await client.close()
            }
            try await awaitTerminal(server.journal, runID: runID)
            let last = try await server.connect(token: token.token)
            try await last.send(["type": "resume", "after_seq": Int(lastSeq)])
            try await last.awaitFrame("resume_completed") { $0.type == "resume_completed" }
            seen += last.frames.filter { $0.runID == runID && $0.seq != nil }
            // A new connection gets live frames from the moment it opens, and resume fills in the gap before
            // them: by seq, the connections together saw every frame; none saw one twice.
            let expected = try await journalFrames(server.journal, runID: runID)
            let union = Dictionary(seen.map { ($0.seq ?? -1, $0) }, uniquingKeysWith: { first, _ in first })
            #expect(union.keys.sorted().compactMap { union[$0].map(FrameKey.init) } == expected.map(FrameKey.init))
            try await last.close()
        }
    }

    @Test("resume after the head sends nothing but resume_completed; other connections keep receiving live")
    func resumeAtHeadAndSiblingConnection() async throws {
        try await withLiveServer { server in
            let (token, watcher) = try await signedInClient(server, "siblings")
            let dropper = try await server.connect(token: token.token)
            let runID = try await sendMessage(dropper, content: RecoveryMessages.insufficient)
            try await dropper.close()
            let frames = try await watcher.awaitRunEnd(runID: runID)
            #expect(frames.last?.type == "run_completed")
            let head = try await server.journal.headSeq()
            let late = try await server.connect(token: token.token)
            try await late.send(["type": "resume", "after_seq": Int(head) + 1_000])
            let done = try await late.awaitFrame("resume_completed") { $0.type == "resume_completed" }
            #expect(done["head_seq"]?.intValue.map(Int64.init) ?? 0 >= head)
            #expect(!late.frames.contains { $0.seq != nil })
            try await late.close()
            try await watcher.close()
        }
    }

    @Test("after a server restart the run resumes from its last step; resume gives every missed frame once, in order")
    func resumeAfterRestart() async throws {
        let directory = try RecoveryDirectory()
        defer { directory.remove() }
        let secret = "restart-secret-\(UUID().uuidString)"
        let llm = GatedLLM()
        var agents = AgentsConfiguration()
        agents.shutdownGracePeriod = .seconds(60)
        agents.terminalAppendAttempts = 1
        let first = try await RestartableServer.start(path: directory.journalPath, secret: secret, llm: llm, agents: agents)
        let token = try await first.signUp("restart")
        let client = try await first.connect(token.token)
        let runID = try await sendMessage(client, content: RecoveryMessages.sufficient)
        try await client.awaitFrame("reporting") { $0.toolName == "llm_report_generation" }
        let lastSeen = try #require(client.frames.compactMap(\.seq).max())
        try await client.close()
        // A crash, as far as the journal can tell: the run is left open (its LLM call never returns).
        first.server.coordinator.beginShutdown()
        try first.server.journal.close()
        llm.open()
        try? await first.stop()
        let second = try await RestartableServer.start(path: directory.journalPath, secret: secret)
        let again = try await second.connect(token.token)
        try await again.send(["type": "resume", "after_seq": Int(lastSeen)])
        let frames = try await again.awaitRunEnd(runID: runID)
        #expect(frames.last?.type == "run_completed")
        let seqs = frames.compactMap(\.seq)
        #expect(seqs == seqs.sorted() && Set(seqs).count == seqs.count, "every missed frame once, in order")
        // Exactly the run's frame events after the last one seen: the resumed tail, nothing replayed twice.
        let journaled = try await second.journal.events(filter: .run(runID)).filter {
            $0.seq > lastSeen && EventType.frameTypes.contains($0.type)
        }
        #expect(seqs == journaled.map(\.seq))
        #expect(frames.map(\.type) == journaled.map(\.type))
        let types = try await runEventTypes(second.journal, runID: runID)
        #expect(types.filter { $0 == "run_recovery" }.count == 1)
        #expect(types.filter { $0 == "tool_executing" }.count == types.filter { $0 == "tool_completed" }.count)
        #expect(types.filter { AgentEvent.terminalTypes.contains($0) } == ["run_completed"])
        let verification = try await RunVerifier(pipeline: StandardPipeline.make()).verify(runID: runID, in: second.journal)
        #expect(verification.divergence == nil)
        try await expectJournalSound(second.journal)
        try await again.close()
        try await second.stop()
    }

    // MARK: - Partial execution state

    @Test("a server killed inside a tool resumes the run after restart: earlier tools reused, the unfinished one rerun")
    func partialRunResumesAfterRestart() async throws {
        let directory = try RecoveryDirectory()
        defer { directory.remove() }
        let secret = "partial-\(UUID().uuidString)"
        var crashing = AgentsConfiguration()
        crashing.terminalAppendAttempts = 1
        crashing.shutdownGracePeriod = .seconds(60)
        let gated = GatedTool(wrapping: EstimateCostChangeTool())
        crashing.tools = crashing.tools.replacing(gated)
        let first = try await RestartableServer.start(path: directory.journalPath, secret: secret, agents: crashing)
        let token = try await first.signUp("partial")
        let client = try await first.connect(token.token)
        let runID = try await sendMessage(client, content: RecoveryMessages.sufficient)
        try await client.awaitFrame("the gated tool") { $0.type == "tool_executing" && $0.toolName == "estimate_cost_change" }
        let lastSeen = try #require(client.frames.compactMap(\.seq).max())
        let before = try await first.journal.events(filter: .run(runID))
        try await client.close()
        first.server.coordinator.beginShutdown()
        try first.server.journal.close()
        gated.gate.open()
        try? await first.stop()

        let calls = ToolCallCounter()
        var resuming = AgentsConfiguration()
        resuming.tools = calls.counting(ToolRegistry.standard.overlaid(by: resuming.tools))
        let second = try await RestartableServer.start(path: directory.journalPath, secret: secret, agents: resuming)
        let again = try await second.connect(token.token)
        try await again.send(["type": "resume", "after_seq": Int(lastSeen)])
        let frames = try await again.awaitRunEnd(runID: runID)
        #expect(frames.last?.type == "run_completed")
        #expect(frames.first?.type == "tool_completed" && frames.first?.toolName == "estimate_cost_change")
        // triage's and data's tools were reused from the journal; optimization's unfinished call ran again, once.
        #expect(calls.counts["classify_request"] == nil)
        #expect(calls.counts["extract_metrics"] == nil)
        #expect(calls.counts["estimate_cost_change"] == 1)
        let after = try await second.journal.events(filter: .run(runID))
        #expect(Array(after.prefix(before.count)) == before, "the journaled part is untouched")
        #expect(after[before.count].type == "run_recovery")
        #expect(after.filter { $0.type == "tool_executing" }.count == after.filter { $0.type == "tool_completed" }.count)
        let verification = try await RunVerifier(pipeline: StandardPipeline.make()).verify(runID: runID, in: second.journal)
        #expect(verification.divergence == nil)
        try await expectJournalSound(second.journal)
        try await again.close()
        try await second.stop()
    }

    @Test("stop_agent mid-tool cancels cleanly: run_cancelled, no open tool call, nothing after the terminal")
    func stopMidTool() async throws {
        try await withLiveServer(agents: agentsReplacing(RecoveryBlockingTool(name: "extract_metrics"))) { server in
            let (_, client) = try await signedInClient(server, "stopper")
            let runID = try await sendMessage(client, content: RecoveryMessages.sufficient)
            try await client.awaitFrame("the blocking tool") { $0.type == "tool_executing" && $0.toolName == "extract_metrics" }
            try await client.send(["type": "stop_agent", "run_id": runID])
            let frames = try await client.awaitRunEnd(runID: runID)
            #expect(frames.last?.type == "run_cancelled")
            let types = try await runEventTypes(server.journal, runID: runID)
            #expect(types.last == "run_cancelled")
            #expect(server.server.coordinator.openRunCount == 0)
            let next = try await sendMessage(client, content: RecoveryMessages.insufficient)
            #expect(try await client.awaitRunEnd(runID: next).last?.type == "run_completed")
            try await client.close()
        }
    }

    @Test("graceful shutdown (SIGTERM) with runs in flight: each ends run_failed INTERRUPTED, the journal is sound")
    func gracefulShutdownDrains() async throws {
        let directory = try RecoveryDirectory()
        defer { directory.remove() }
        let llm = GatedLLM()
        var agents = AgentsConfiguration()
        agents.shutdownGracePeriod = .milliseconds(200)
        let server = try await RestartableServer.start(
            path: directory.journalPath, secret: "drain-\(UUID().uuidString)", llm: llm, agents: agents)
        let token = try await server.signUp("drain")
        let client = try await server.connect(token.token)
        var runs: [String] = []
        for _ in 0..<3 { runs.append(try await sendMessage(client, content: RecoveryMessages.insufficient)) }
        try await server.stop()
        let journal = try GoldenPathJournal.open(path: directory.journalPath)
        defer { try? journal.close() }
        for runID in runs {
            let events = try await journal.events(filter: .run(runID))
            let terminal = events.filter { AgentEvent.terminalTypes.contains($0.type) }
            #expect(terminal.count == 1)
            #expect(terminal.first?.type == "run_failed")
            #expect(terminal.first?.payload.contains("INTERRUPTED") == true)
        }
        try await expectJournalSound(journal)
        llm.open()
    }

    @Test("under the interrupt policy runs left open by a dead process end at start-up once; a restart changes nothing")
    func startupRecoveryIsIdempotent() async throws {
        let directory = try RecoveryDirectory()
        defer { directory.remove() }
        let secret = "idem-\(UUID().uuidString)"
        let llm = GatedLLM()
        var agents = AgentsConfiguration()
        agents.terminalAppendAttempts = 1
        let first = try await RestartableServer.start(
            path: directory.journalPath, secret: secret, llm: llm, agents: agents)
        let token = try await first.signUp("idem")
        let client = try await first.connect(token.token)
        let runID = try await sendMessage(client, content: RecoveryMessages.partial)
        try await client.close()
        first.server.coordinator.beginShutdown()
        try first.server.journal.close()
        llm.open()
        try? await first.stop()
        var interrupting = AgentsConfiguration()
        interrupting.recoveryPolicy = .interrupt
        let second = try await RestartableServer.start(path: directory.journalPath, secret: secret, agents: interrupting)
        let head = try await second.journal.headSeq()
        #expect(try await runEventTypes(second.journal, runID: runID).suffix(2) == ["run_recovery", "run_failed"])
        try await second.stop()
        let third = try await RestartableServer.start(path: directory.journalPath, secret: secret)
        #expect(try await third.journal.headSeq() == head)
        try await expectJournalSound(third.journal)
        try await third.stop()
    }
}
