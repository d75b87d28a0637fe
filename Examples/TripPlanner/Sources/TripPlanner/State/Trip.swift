/// The run state of the trip planner: what the user asked for and what the agents found and booked.
///
/// Every agent gets a copy and returns it changed; the runtime journals it with each `agent_completed`
/// (`state`), so a replay or a resumed run folds exactly the same trip. Never put a secret here — the
/// payment token stays with the booker.
public struct Trip: Codable, Sendable, Hashable {
    /// The user's message.
    public var request: String
    /// Where the trip starts (from the flight search).
    public var origin: String?
    /// Where the trip goes (from the flight search).
    public var destination: String?
    /// The outbound date, `yyyy-MM-dd`.
    public var departureDate: String?
    /// The return date, `yyyy-MM-dd`, for a round trip.
    public var returnDate: String?
    /// The flights found, cheapest first.
    public var flightOptions: [FlightOption]
    /// The forecast at the destination on the departure date.
    public var weather: WeatherReport?
    /// The flight the booker booked.
    public var bookedFlightID: String?
    /// The booking reference, once booked.
    public var bookingReference: String?
    /// What went wrong or was skipped, in words.
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case request, origin, destination, departureDate = "departure_date", returnDate = "return_date"
        case flightOptions = "flight_options", weather, bookedFlightID = "booked_flight_id"
        case bookingReference = "booking_reference", notes
    }

    /// A trip for a request, with nothing found yet.
    public init(request: String) {
        self.request = request
        flightOptions = []
        notes = []
    }

    /// The cheapest flight found (the first on ties), if any.
    public var cheapestOption: FlightOption? {
        flightOptions.min { $0.priceEUR < $1.priceEUR }
    }

    /// The flight that was booked, if any.
    public var bookedFlight: FlightOption? {
        flightOptions.first { $0.id == bookedFlightID }
    }
}
