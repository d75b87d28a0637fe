import AgentRuntime

/// Where the booker gets the payment token it charges for a user (a wallet, a vault). The value is a secret:
/// it goes to `book_flight` only and is never journaled.
public typealias PaymentTokenProvider = @Sendable (_ userID: String) async throws -> String

/// The booker: a Swift-bodied agent. It books the cheapest flight the concierge found with `book_flight`
/// (``AgentSession/use(_:_:)``), charging the user's payment token, and records the booking reference.
public struct Booker: Agent {
    /// `booker`.
    public let name: AgentName = .booker
    private let paymentToken: PaymentTokenProvider

    /// A booker that charges the tokens `paymentToken` gives.
    public init(paymentToken: @escaping PaymentTokenProvider) {
        self.paymentToken = paymentToken
    }

    /// What `agent_started` says.
    public func taskDescription(for trip: Trip) -> String {
        "Book the cheapest flight to \(trip.destination ?? "the destination")"
    }

    /// Books the cheapest offer.
    /// - Throws: ``AgentFailure`` — `NO_FLIGHTS` when the concierge found none, `TOOL_FAILED` when the booking
    ///   fails; `CancellationError`; `JournalError`.
    public func run(_ session: AgentSession, state: Trip) async throws -> AgentResult<Trip> {
        guard let flight = state.cheapestOption else {
            throw AgentFailure(code: "NO_FLIGHTS", message: "the concierge found no flight to book")
        }
        try await session.think(
            "Booking \(flight.flightNumber) (\(flight.id)), the cheapest of \(state.flightOptions.count) option(s), "
                + "for €\(flight.priceEUR).")
        let request = BookingRequest(
            flightID: flight.id, passenger: session.context.userID, amountEUR: flight.priceEUR,
            paymentToken: try await paymentToken(session.context.userID))
        let answer = try await session.use(TripTools.bookFlightName, try JSONValue(encoding: request))
        let confirmation = try answer.decoded(as: BookingConfirmation.self, from: TripTools.bookFlightName)
        var trip = state
        trip.bookedFlightID = confirmation.flightID
        trip.bookingReference = confirmation.reference
        return AgentResult(
            summary: "Booked \(flight.flightNumber) for €\(confirmation.chargedEUR): reference \(confirmation.reference).",
            state: trip)
    }
}
