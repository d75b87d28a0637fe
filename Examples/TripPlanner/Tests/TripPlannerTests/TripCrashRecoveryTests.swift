import AgentRuntime
import GoldenPathTesting
import Journal
import Testing
import TripPlanner

/// A server killed while the booker is inside `book_flight`: after the restart the run resumes from its last
/// completed step — the concierge's tools are not called again — and ends `run_completed`.
///
/// The first test wraps the tools in GoldenPathTesting's `GatedTool` and `ToolCallCounter`; the second keeps
/// wrappers of its own that forward the tools' real definitions. Both resume: the stand-ins recovery puts in place
/// of each tool offer the model the definitions the first `llm_request` journaled.
@Suite("Trip planner: crash and resume", .timeLimit(.minutes(3)))
struct TripCrashRecoveryTests {
    @Test("a run crashed inside book_flight resumes after restart; search_flights and check_weather run once")
    func crashInsideBookingResumes() async throws {
        let gated = GatedTool(wrapping: TripTools.bookFlight)
        let calls = ToolCallCounter()
        var agents = AgentsConfiguration()
        // No time limit passes while book_flight is held: only the test moves this clock (it never does).
        agents.timeLimitClock = ManualTimeLimitClock()
        agents.tools = calls.counting(ToolRegistry(TripTools.all).replacing(gated))
        let server = try await TripTests.startServer(agents: agents)
        let traveler = try await Traveler.make(server, "crash")
        let runID = try await traveler.send(TripTests.request)
        try await JournalAssertions(server.journal).awaitEvent(.run(runID)) {
            $0.type == "tool_executing" && $0.payload.contains(#""tool_name":"book_flight""#)
        }
        let before = try await server.journal.events(filter: .run(runID))
        #expect(!before.contains { AgentEvent.terminalTypes.contains($0.type) })

        // The crash: the journal is closed under the running server; the run stays open.
        await server.crash()
        try? await traveler.client.close()
        // The restarted process has the same tools (LiveServer.restart keeps the agents configuration): let
        // book_flight through from now on, as the real tool would be.
        gated.gate.open()
        let restarted = try await server.restart()
        do {
            let journal = JournalAssertions(restarted.journal)
            let end = try await journal.awaitRunEnd(runID)
            #expect(end.type == "run_completed")

            let after = try await restarted.journal.events(filter: .run(runID))
            #expect(Array(after.prefix(before.count)) == before, "the journaled part is untouched")
            let recoveries = after.filter { $0.type == "run_recovery" }
            #expect(recoveries.count == 1)
            let recovery = try #require(recoveries.first)
            #expect(try JSONValue(parsing: recovery.payload)["decision"]?.stringValue == "resumed")
            #expect(after[before.count].seq == recovery.seq, "run_recovery comes right after the last journaled event")
            try await journal.expectRun(
                runID, matches: TripTests.bookedRun(afterBookingStarted: [.event("run_recovery")]))

            // The concierge's tools completed before the crash: their journaled outputs were reused.
            #expect(calls.counts["search_flights"] == 1)
            #expect(calls.counts["check_weather"] == 1)
            // book_flight had no tool_completed: it ran again (at-least-once), under the same execution id.
            #expect((1...2).contains(calls.counts["book_flight"] ?? 0))
            let bookingIDs = after.filter { $0.type == "tool_executing" || $0.type == "tool_completed" }
                .compactMap { try? JSONValue(parsing: $0.payload) }
                .filter { $0["tool_name"]?.stringValue == "book_flight" }
                .compactMap { $0["execution_id"]?.stringValue }
            #expect(bookingIDs.count == 2 && Set(bookingIDs).count == 1)
        } catch {
            try? await restarted.shutdown()
            throw error
        }
        try await restarted.shutdown()
    }
}

extension TripCrashRecoveryTests {
    @Test("with the tools' real definitions (descriptions, schemas, secrets), a run crashed inside book_flight resumes")
    func crashWithRealDefinitions() async throws {
        let gate = Gate()
        let calls = DefinitionKeepingCounter()
        var agents = AgentsConfiguration()
        agents.timeLimitClock = ManualTimeLimitClock()
        agents.tools = calls.counting(
            [TripTools.searchFlights, CheckWeatherTool(), GatedKeepingTool(inner: TripTools.bookFlight, gate: gate)])
        let server = try await TripTests.startServer(agents: agents)
        let traveler = try await Traveler.make(server, "crash-defs")
        let runID = try await traveler.send(TripTests.request)
        try await JournalAssertions(server.journal).awaitEvent(.run(runID)) {
            $0.type == "tool_executing" && $0.payload.contains(#""tool_name":"book_flight""#)
        }
        await server.crash()
        try? await traveler.client.close()
        gate.open()
        let restarted = try await server.restart()
        do {
            let end = try await JournalAssertions(restarted.journal).awaitRunEnd(runID)
            let recovery = try await restarted.journal.events(filter: .run(runID)).last { $0.type == "run_recovery" }
            let decision = try recovery.map { try JSONValue(parsing: $0.payload)["decision"]?.stringValue }
            #expect(calls.counts["search_flights"] == 1)
            #expect(calls.counts["check_weather"] == 1)
            #expect(end.type == "run_completed")
            #expect(decision == "resumed")
        } catch {
            try? await restarted.shutdown()
            throw error
        }
        try await restarted.shutdown()
    }
}
