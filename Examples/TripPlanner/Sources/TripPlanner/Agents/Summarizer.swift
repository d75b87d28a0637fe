import AgentRuntime

/// The summarizer: a small Swift agent that writes the itinerary — the run's answer — from the trip.
public struct Summarizer: Agent {
    /// `summarizer`.
    public let name: AgentName = .summarizer

    /// Creates the agent.
    public init() {}

    /// What `agent_started` says.
    public func taskDescription(for trip: Trip) -> String { "Write the itinerary" }

    /// Writes ``itinerary(for:)``.
    /// - Throws: `CancellationError`; `JournalError`.
    public func run(_ session: AgentSession, state: Trip) async throws -> AgentResult<Trip> {
        try await session.think(
            "Writing the itinerary from \(state.flightOptions.count) flight option(s)"
                + (state.bookingReference == nil ? ", without a booking." : " and booking \(state.bookingReference ?? "").")
        )
        return AgentResult(summary: Self.itinerary(for: state), state: state)
    }

    /// The itinerary in words: the booked (or cheapest) flight, the weather, the booking, and what is left to do.
    public static func itinerary(for trip: Trip) -> String {
        var lines: [String] = []
        let route = [trip.origin, trip.destination].compactMap { $0 }.joined(separator: " → ")
        let dates = [trip.departureDate, trip.returnDate].compactMap { $0 }.joined(separator: " to ")
        lines.append(route.isEmpty ? "Your trip" : "Your trip \(route)" + (dates.isEmpty ? "" : ", \(dates)") + ".")
        if let flight = trip.bookedFlight ?? trip.cheapestOption {
            lines.append(
                "Flight: \(flight.airline) \(flight.flightNumber), departs \(flight.departs), arrives \(flight.arrives), "
                    + "\(flight.stops == 0 ? "direct" : "\(flight.stops) stop(s)"), €\(flight.priceEUR).")
        } else {
            lines.append("No flight was found.")
        }
        if let weather = trip.weather {
            lines.append("Weather in \(weather.city) on \(weather.date): \(weather.summary), \(weather.lowC)–\(weather.highC) °C.")
        }
        if let reference = trip.bookingReference {
            lines.append("Booked: reference \(reference).")
        } else {
            lines.append("Not booked yet.")
        }
        lines += trip.notes.map { "Note: \($0)" }
        lines.append(
            "Next steps:\n"
                + (trip.bookingReference == nil
                    ? "1. Ask again with a destination and a date"
                    : "1. Check in online 24 hours before departure\n2. Pack for the weather"))
        return lines.joined(separator: "\n")
    }
}
