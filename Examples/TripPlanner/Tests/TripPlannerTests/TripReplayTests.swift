import AgentRuntime
import GoldenPathTesting
import Testing
import TripPlanner

/// `replay --verify` of a trip run: today's code re-executes it to the same events; a changed tool is reported
/// at its first differing event.
@Suite("Trip planner: replay --verify", .timeLimit(.minutes(3)))
struct TripReplayTests {
    @Test("a finished run verifies clean; a search_flights with another price diverges at its tool_completed")
    func verifyAndDiverge() async throws {
        try await TripTests.withServer { server in
            let traveler = try await Traveler.make(server, "replay")
            let runID = try await traveler.send(TripTests.request)
            try await traveler.client.awaitRunEnd(runID: runID)
            try await traveler.client.close()
            let events = try await server.journal.events(filter: .run(runID))

            // Unchanged code, tools run live: clean (the tools are deterministic).
            var live = RunVerifier(pipeline: TripPlanner.pipeline())
            live.liveTools = true
            let liveReport = try await live.verify(runID: runID, in: server.journal)
            #expect(liveReport.isClean, "\(String(describing: liveReport.divergence))")
            #expect(liveReport.actualCount == events.count)

            // Unchanged code, recorded tool outputs (what `replay --verify` does): clean too — the recorded
            // stand-ins offer the model the same tool definitions the first llm_request journaled.
            let recorded = try await RunVerifier(pipeline: TripPlanner.pipeline()).verify(runID: runID, in: server.journal)
            #expect(recorded.actualCount == events.count)
            #expect(recorded.divergence.map { "event \($0.position): \($0.fields)" } == nil)

            // A search_flights whose cheapest fare is €25 dearer.
            let dearer = FunctionTool(name: TripTools.searchFlightsName, description: TripTools.searchFlights.description) {
                (query: FlightQuery, _) -> FlightSearchResult in
                var result = TravelCatalog.search(query)
                result.options[0].priceEUR += 25
                return result
            }
            var changed = RunVerifier(pipeline: TripPlanner.pipeline())
            changed.configuration.tools = ToolRegistry([dearer])
            changed.liveTools = true
            let report = try await changed.verify(runID: runID, in: server.journal)
            let divergence = try #require(report.divergence)
            let index = try #require(
                events.firstIndex {
                    $0.type == "tool_completed" && $0.payload.contains(#""tool_name":"search_flights""#)
                })
            #expect(divergence.position == index + 1)
            #expect(divergence.expected?.seq == events[index].seq)
            #expect(divergence.expected?.type == "tool_completed")
            #expect(divergence.actual?.type == "tool_completed")
            #expect(divergence.expected?.toolName == "search_flights")
            #expect(divergence.fields == ["payload.results.options[0].price_eur"])
            let recordedPrice = try #require(divergence.expected?.value(at: "payload.results.options[0].price_eur")?.intValue)
            #expect(divergence.actual?.value(at: "payload.results.options[0].price_eur")?.intValue == recordedPrice + 25)
        }
    }
}
