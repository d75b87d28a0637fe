import AgentRuntime
import GoldenPathTesting
import Testing
import TripPlanner

/// The plan's other paths: a booking that fails (the run completes, degraded) and a concierge that does not
/// hand off (the booker is skipped).
@Suite("Trip planner: the plan's other paths", .timeLimit(.minutes(3)))
struct TripPlanTests {
    /// The concierge's part of a run, as in ``TripTests/bookedRun(afterBookingStarted:)``.
    static let concierge: [EventPattern.Element] = [
        .event("agent_started", agent: "concierge"),
        .event("llm_request", agent: "concierge"), .zeroOrMore(EventPattern.streamedAnswerEvent),
        .event("llm_response", agent: "concierge"),
        .event("tool_executing", agent: "concierge", tool: "search_flights"),
        .event("tool_executing", agent: "concierge", tool: "check_weather"),
        .event("tool_completed", agent: "concierge", tool: "search_flights", status: "success"),
        .event("tool_completed", agent: "concierge", tool: "check_weather", status: "success"),
        .event("llm_request", agent: "concierge"), .zeroOrMore(EventPattern.streamedAnswerEvent),
        .event("llm_response", agent: "concierge"),
        .event("agent_completed", agent: "concierge", status: "completed"),
    ]

    /// The summarizer's part.
    static let summarizer: [EventPattern.Element] = [
        .event("agent_started", agent: "summarizer"), .event("agent_thinking", agent: "summarizer"),
        .event("agent_completed", agent: "summarizer", status: "completed"),
    ]

    @Test("book_flight fails: the booker fails, the summarizer still answers, the run is degraded")
    func failedBookingDegrades() async throws {
        var agents = AgentsConfiguration()
        agents.tools = ToolRegistry([InjectedTool(name: TripTools.bookFlightName, mode: .fail("card declined"))])
        try await TripTests.withServer(agents: agents) { server in
            let traveler = try await Traveler.make(server, "declined")
            let runID = try await traveler.send(TripTests.request)
            let frames = try await traveler.client.awaitRunEnd(runID: runID)
            try await JournalAssertions(server.journal).expectRun(
                runID,
                matches: .run(
                    EventPattern(
                        Self.concierge + [
                            .event("agent_started", agent: "booker"), .event("agent_thinking", agent: "booker"),
                            .event("tool_executing", agent: "booker", tool: "book_flight"),
                            .event("tool_completed", agent: "booker", tool: "book_flight", status: "error"),
                            .event("agent_error", agent: "booker"),
                            .event("agent_completed", agent: "booker", status: "failed"),
                        ] + Self.summarizer)))
            #expect(frames.last?.type == "run_completed")
            #expect(frames.last?["degraded"]?.boolValue == true)
            #expect(frames.last?["final_response"]?.stringValue?.contains("Not booked yet.") == true)
            try await traveler.client.close()
        }
    }

    @Test("a concierge that answers instead of handing off: the booker is skipped, nothing is booked")
    func noHandoffSkipsTheBooker() async throws {
        let llm = ScriptedLLM(
            behavior: .toolScript(
                agentName: "concierge",
                turns: [[ScriptedConcierge.searchFlightsCall, ScriptedConcierge.checkWeatherCall]],
                finalText: "Two flights to Lisbon; tell me which one to book."))
        try await TripTests.withServer(llm: llm) { server in
            let traveler = try await Traveler.make(server, "nohandoff")
            let runID = try await traveler.send(TripTests.request)
            let frames = try await traveler.client.awaitRunEnd(runID: runID)
            try await JournalAssertions(server.journal).expectRun(
                runID, matches: .run(EventPattern(Self.concierge + Self.summarizer)))
            let end = try #require(frames.last)
            #expect(end["degraded"]?.boolValue == false)
            let answer = try #require(end["final_response"]?.stringValue)
            #expect(answer.contains("Not booked yet."))
            #expect(answer.contains("Note: booking skipped: the concierge did not hand off to the booker"))
            let conciergeEnd = try #require(frames.first { $0.type == "agent_completed" && $0.agentName == "concierge" })
            #expect(conciergeEnd["final_response"]?.stringValue == "Two flights to Lisbon; tell me which one to book.")
            try await traveler.client.close()
        }
    }
}
