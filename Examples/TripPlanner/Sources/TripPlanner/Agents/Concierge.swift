import AgentRuntime

/// The concierge: a ``ToolLoopAgent`` — the language model chooses the tools. It may call `search_flights` and
/// `check_weather` (in one turn, concurrently) and hand off to the booker by calling `transfer_to_booker`.
/// ``fold(_:_:)`` writes what the tools answered into the ``Trip``.
public enum Concierge {
    /// The system message.
    public static let instructions = """
        You are a travel concierge. Find flights with search_flights and the weather at the destination on the \
        departure day with check_weather — call both in the same turn. When a flight fits, call \
        transfer_to_booker so that the booker books the cheapest one. Never ask for payment details.
        """

    /// The agent.
    public static func make(model: ModelSettings = ModelSettings()) -> ToolLoopAgent<Trip> {
        ToolLoopAgent<Trip>(
            name: .concierge, instructions: instructions,
            tools: [TripTools.searchFlightsName, TripTools.checkWeatherName], handoffs: [.booker], model: model,
            turnLimit: 4, toolCallBudget: 6,
            task: { _ in "Find flights and the weather for the trip" },
            prompt: { trip in "Plan this trip: \(trip.request)" },
            finish: fold)
    }

    /// Folds the transcript's successful tool results into the trip and returns the concierge's summary; a failed
    /// call becomes a note (the model saw its error too).
    /// - Throws: ``AgentFailure`` (`BAD_TOOL_OUTPUT`) when a tool's result does not decode.
    @Sendable public static func fold(_ trip: inout Trip, _ transcript: ToolLoopTranscript) throws -> String {
        if let found = transcript.results(of: TripTools.searchFlightsName).last {
            let result = try found.decoded(as: FlightSearchResult.self, from: TripTools.searchFlightsName)
            trip.origin = result.origin
            trip.destination = result.destination
            trip.departureDate = result.date
            trip.returnDate = result.returnDate
            trip.flightOptions = result.options
        }
        if let forecast = transcript.results(of: TripTools.checkWeatherName).last {
            trip.weather = try forecast.decoded(as: WeatherReport.self, from: TripTools.checkWeatherName)
        }
        for call in transcript.calls where call.status != .success {
            trip.notes.append("\(call.name) \(call.status.rawValue): \(call.errorMessage ?? "no result")")
        }
        if !transcript.finalText.isEmpty { return transcript.finalText }
        var summary = "Found \(trip.flightOptions.count) flight(s)"
        if let destination = trip.destination { summary += " to \(destination)" }
        if let cheapest = trip.cheapestOption { summary += ", from €\(cheapest.priceEUR)" }
        if let weather = trip.weather { summary += "; \(weather.summary), \(weather.highC) °C" }
        if let handoff = transcript.handoff { summary += "; handing off to the \(handoff)" }
        return summary + "."
    }
}
