import AgentRuntime
import GoldenPathTesting
import Testing
import TripPlanner

/// One trip run end to end over a real WebSocket: the exact journaled sequence, the frames the client received,
/// and the answer.
@Suite("Trip planner: one run", .timeLimit(.minutes(3)))
struct TripRunTests {
    @Test("a trip run journals the exact sequence, and the client receives exactly its frame events")
    func exactSequence() async throws {
        try await TripTests.withServer { server in
            let traveler = try await Traveler.make(server, "sequence")
            let runID = try await traveler.send(TripTests.request)
            let frames = try await traveler.client.awaitRunEnd(runID: runID)
            let journal = JournalAssertions(server.journal)

            // 1. Every event of the run, in order, read back from the journal.
            try await journal.expectRun(runID, matches: TripTests.bookedRun())

            // 2. The frames the client received are the journal's frame events of the run, one for one.
            let journaled = try await journal.runSummaries(runID, framesOnly: true)
            #expect(frames.map(EventSummary.init) == journaled)
            try await journal.expectDeliveries(connectionID: traveler.connectionID, received: traveler.client.frames)

            // 3. The two tool calls of turn 1 ran in one model turn: both `tool_executing` before either result.
            let concierge = try await journal.runSummaries(runID).filter { $0.agent == "concierge" }
            #expect(
                concierge.map(\.type) == [
                    "agent_started", "llm_request", "llm_response", "tool_executing", "tool_executing",
                    "tool_completed", "tool_completed", "llm_request", "llm_response", "agent_completed",
                ])

            // 4. The answer: the booked flight and its reference, not degraded.
            let end = try #require(frames.last)
            #expect(end.type == "run_completed")
            #expect(end["degraded"]?.boolValue == false)
            let answer = try #require(end["final_response"]?.stringValue)
            let expected = TravelCatalog.search(ScriptedConcierge.flightQuery).options[0]
            #expect(answer.contains("Berlin → Lisbon, 2026-05-14 to 2026-05-21"))
            #expect(answer.contains(expected.flightNumber))
            #expect(answer.contains("Booked: reference TRP-"))
            try await traveler.client.close()
        }
    }

    @Test("the run state folds every tool result: flights, weather and the booking")
    func stateIsFolded() async throws {
        try await TripTests.withServer { server in
            let traveler = try await Traveler.make(server, "state")
            let runID = try await traveler.send(TripTests.request)
            try await traveler.client.awaitRunEnd(runID: runID)
            let events = try await JournalAssertions(server.journal).runEvents(runID)
            let supervisorEnd = try #require(
                events.last { $0.type == "agent_completed" && $0.payload.contains(#""agent_name":"supervisor""#) })
            let state = try #require(try JSONValue(parsing: supervisorEnd.payload)["state"])
            let search = TravelCatalog.search(ScriptedConcierge.flightQuery)
            #expect(state["destination"] == "Lisbon")
            #expect(state["flight_options"]?.arrayValue?.count == search.options.count)
            #expect(state["booked_flight_id"]?.stringValue == search.options[0].id)
            #expect(state["weather"]?["summary"]?.stringValue == TravelCatalog.forecast(city: "Lisbon", date: "2026-05-14").summary)
            let booking = TravelCatalog.book(
                BookingRequest(
                    flightID: search.options[0].id, passenger: traveler.userID, amountEUR: search.options[0].priceEUR,
                    paymentToken: TripPlanner.demoPaymentToken))
            #expect(state["booking_reference"]?.stringValue == booking.reference)
            try await traveler.client.close()
        }
    }
}
