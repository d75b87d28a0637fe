import AgentRuntime
import Foundation
import Journal
import StandardPipeline
import Logging
import Testing

/// Submitting, stopping, limits, idempotency, shutdown and recovery through ``RunCoordinator``.
@Suite("Run control", .timeLimit(.minutes(5)))
struct RunControlTests {
    /// A configuration whose data_helper blocks until its run is stopped.
    static func blocking(_ configuration: inout AgentsConfiguration) {
        configuration.tools = configuration.tools.replacing(BlockingTool(name: "identify_missing_data"))
    }

    @Test("stop_agent: the run ends run_cancelled, once; stopping again is RUN_ALREADY_ENDED")
    func stopCancelsTheRun() async throws {
        try await withCoordinator(Self.blocking) { harness in
            let accepted = try await harness.send(Messages.insufficient)
            _ = try await harness.firstEvent(of: accepted.runID) {
                $0.type == "tool_executing" && $0.payload.contains("identify_missing_data")
            }
            await #expect(throws: AgentsError.self) {
                try await harness.coordinator.stop(runID: accepted.runID, userID: "bob")
            }
            try await harness.coordinator.stop(runID: accepted.runID, userID: "alice")
            let events = try await harness.eventsUntilEnd(of: accepted.runID)
            #expect(events.last?.type == "run_cancelled")
            #expect(events.filter { AgentEvent.terminalTypes.contains($0.type) }.count == 1)
            let cancelled = try #require(
                payloads(events) { if case .runCancelled(let p) = $0 { p } else { nil } }.first)
            #expect(cancelled.status == .cancelled)
            do {
                try await harness.coordinator.stop(runID: accepted.runID, userID: "alice")
                Issue.record("stopping an ended run succeeded")
            } catch let error as AgentsError {
                #expect(error.code == .runAlreadyEnded)
            }
            do {
                try await harness.coordinator.stop(runID: "no-such-run", userID: "alice")
                Issue.record("stopping an unknown run succeeded")
            } catch let error as AgentsError {
                #expect(error.code == .runNotFound)
            }
            let run = try await harness.coordinator.queries.run(id: accepted.runID, ofUser: "alice")
            #expect(run?.status == .cancelled)
        }
    }

    @Test("a foreign run is RUN_NOT_FOUND")
    func foreignRunIsNotFound() async throws {
        try await withCoordinator { harness in
            let accepted = try await harness.send(Messages.insufficient)
            _ = try await harness.eventsUntilEnd(of: accepted.runID)
            do {
                try await harness.coordinator.stop(runID: accepted.runID, userID: "bob")
                Issue.record("stopping another user's run succeeded")
            } catch let error as AgentsError {
                #expect(error.code == .runNotFound)
            }
        }
    }

    @Test("a repeated client_message_id starts no second run and writes nothing")
    func duplicateClientMessageID() async throws {
        try await withCoordinator { harness in
            let first = try await harness.send(Messages.partial, clientMessageID: "m-1")
            #expect(!first.isDuplicate)
            #expect(first.messageReceived.type == "message_received")
            _ = try await harness.eventsUntilEnd(of: first.runID)
            let head = try await harness.journal.headSeq()
            let again = try await harness.send(Messages.partial, clientMessageID: "m-1")
            #expect(again.isDuplicate)
            #expect(again.runID == first.runID)
            #expect(again.threadID == first.threadID)
            #expect(again.messageReceived == first.messageReceived)
            #expect(try await harness.journal.headSeq() == head)
            // The same id from another user is another message.
            let other = try await harness.send(Messages.partial, user: "bob", clientMessageID: "m-1")
            #expect(!other.isDuplicate)
            #expect(other.runID != first.runID)
            _ = try await harness.eventsUntilEnd(of: other.runID)
            let userMessages = try await harness.journal.events().filter { $0.type == "user_message" }
            #expect(userMessages.count == 2)
        }
    }

    @Test("concurrent repeats of one client_message_id make one run")
    func concurrentDuplicates() async throws {
        try await withCoordinator { harness in
            let acceptances = try await withThrowingTaskGroup(of: MessageAcceptance.self) { group in
                for _ in 0..<3 {
                    group.addTask { try await harness.send(Messages.partial, clientMessageID: "same") }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(acceptances.map(\.runID)).count == 1)
            #expect(acceptances.filter { !$0.isDuplicate }.count == 1)
            _ = try await harness.eventsUntilEnd(of: acceptances[0].runID)
        }
    }

    @Test("an unknown or foreign thread is THREAD_NOT_FOUND; the owner continues it")
    func threadOwnership() async throws {
        try await withCoordinator { harness in
            let first = try await harness.send(Messages.partial)
            _ = try await harness.eventsUntilEnd(of: first.runID)
            for (user, thread) in [("bob", first.threadID), ("alice", "no-such-thread")] {
                do {
                    _ = try await harness.send("hello", user: user, thread: thread)
                    Issue.record("\(user) sent to \(thread)")
                } catch let error as AgentsError {
                    #expect(error.code == .threadNotFound)
                }
            }
            let second = try await harness.send("and now?", thread: first.threadID)
            #expect(second.threadID == first.threadID)
            _ = try await harness.eventsUntilEnd(of: second.runID)
        }
    }

    @Test("a blank message is refused")
    func blankMessage() async throws {
        try await withCoordinator { harness in
            do {
                _ = try await harness.send("  \n ")
                Issue.record("a blank message was accepted")
            } catch let error as AgentsError {
                #expect(error.code == .invalidMessage)
            }
            #expect(try await harness.journal.headSeq() == 0)
        }
    }

    @Test("more open runs than allowed is TOO_MANY_RUNS; a refused message counts for nothing")
    func tooManyRuns() async throws {
        try await withCoordinator({
            Self.blocking(&$0)
            $0.maximumConcurrentRunsPerUser = 2
        }) { harness in
            let first = try await harness.send(Messages.insufficient)
            let second = try await harness.send(Messages.insufficient)
            do {
                _ = try await harness.send(Messages.insufficient)
                Issue.record("a third run was accepted")
            } catch let error as AgentsError {
                #expect(error.code == .tooManyRuns)
            }
            // Another user is not limited by alice's runs.
            let bobs = try await harness.send(Messages.sufficient, user: "bob")
            #expect(harness.coordinator.openRunCount(ofUser: "alice") == 2)
            try await harness.coordinator.stop(runID: first.runID, userID: "alice")
            _ = try await harness.eventsUntilEnd(of: first.runID)
            let third = try await harness.send(Messages.insufficient)
            for run in [second.runID, third.runID] {
                try await harness.coordinator.stop(runID: run, userID: "alice")
                _ = try await harness.eventsUntilEnd(of: run)
            }
            _ = try await harness.eventsUntilEnd(of: bobs.runID)
            let userMessages = try await harness.journal.events().filter { $0.type == "user_message" }
            #expect(userMessages.count == 4)
        }
    }

    @Test("graceful shutdown: open runs past the grace period end run_failed INTERRUPTED")
    func gracefulShutdownInterrupts() async throws {
        let file = try AgentsTestJournal()
        defer { file.remove() }
        let journal = try file.open()
        defer { try? journal.close() }
        var configuration = AgentsConfiguration()
        Self.blocking(&configuration)
        configuration.shutdownGracePeriod = .milliseconds(200)
        let coordinator = RunCoordinator(
            journal: journal, pipeline: StandardPipeline.make(), llm: ScriptedLLM(), configuration: configuration,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let harness = AgentsHarness(journal: journal, coordinator: coordinator, llm: ScriptedLLM())
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await coordinator.run() }
            let accepted = try await harness.send(Messages.insufficient)
            _ = try await harness.firstEvent(of: accepted.runID) {
                $0.type == "tool_executing" && $0.payload.contains("identify_missing_data")
            }
            coordinator.beginShutdown()
            try await group.waitForAll()
            let events = try await journal.stream(EventStreams.run(accepted.runID))
            let failed = try #require(payloads(events) { if case .runFailed(let p) = $0 { p } else { nil } }.first)
            #expect(failed.errorCode == "INTERRUPTED")
            #expect(events.last?.type == "run_failed")
            do {
                _ = try await harness.send("after shutdown")
                Issue.record("a message was accepted after shutdown")
            } catch let error as AgentsError {
                #expect(error.code == .shuttingDown)
            }
        }
    }

    @Test("cancelling run(): open runs end run_failed INTERRUPTED")
    func cancellationInterrupts() async throws {
        let file = try AgentsTestJournal()
        defer { file.remove() }
        let journal = try file.open()
        defer { try? journal.close() }
        var configuration = AgentsConfiguration()
        Self.blocking(&configuration)
        let coordinator = RunCoordinator(
            journal: journal, pipeline: StandardPipeline.make(), llm: ScriptedLLM(), configuration: configuration,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let harness = AgentsHarness(journal: journal, coordinator: coordinator, llm: ScriptedLLM())
        let accepted = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await coordinator.run() }
            let accepted = try await harness.send(Messages.insufficient)
            _ = try await harness.firstEvent(of: accepted.runID) {
                $0.type == "tool_executing" && $0.payload.contains("identify_missing_data")
            }
            group.cancelAll()
            try await group.waitForAll()
            return accepted
        }
        let events = try await journal.stream(EventStreams.run(accepted.runID))
        #expect(events.last?.type == "run_failed")
        #expect(payloads(events) { if case .runFailed(let p) = $0 { p.errorCode } else { nil } } == ["INTERRUPTED"])
    }

    @Test("recoverInterruptedRuns under the interrupt policy ends every run left open by an earlier process")
    func recovery() async throws {
        let file = try AgentsTestJournal()
        defer { file.remove() }
        // An earlier process accepted a message and died before executing it (its run() never ran).
        let runID: String
        do {
            let journal = try file.open()
            let crashed = RunCoordinator(
                journal: journal, pipeline: StandardPipeline.make(), llm: ScriptedLLM(),
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            runID = try await crashed.submit(IncomingMessage(userID: "alice", content: Messages.partial)).runID
            try journal.close()
        }
        let journal = try file.open()
        defer { try? journal.close() }
        let before = try await journal.verify()
        #expect(before.warnings.map(\.check) == ["unterminated_runs"])
        var configuration = AgentsConfiguration()
        configuration.recoveryPolicy = .interrupt
        let coordinator = RunCoordinator(
            journal: journal, pipeline: StandardPipeline.make(), llm: ScriptedLLM(), configuration: configuration,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        #expect(try await coordinator.recoverInterruptedRuns() == [RecoveredRun(runID: runID, decision: .interrupted)])
        #expect(try await coordinator.recoverInterruptedRuns() == [])
        let events = try await journal.stream(EventStreams.run(runID))
        #expect(events.map(\.type) == ["user_message", "message_received", "run_recovery", "run_failed"])
        #expect(payloads(events) { if case .runFailed(let p) = $0 { p.errorCode } else { nil } } == ["INTERRUPTED"])
        #expect(events.allSatisfy { $0.userID == "alice" })
        let run = try await coordinator.queries.run(id: runID, ofUser: "alice")
        #expect(run?.status == .failed)
        #expect(run?.errorCode == "INTERRUPTED")
        let after = try await journal.verify()
        #expect(after.passes(strict: true), "\(after.problems)")
    }
}
