/// One flight `search_flights` offers.
public struct FlightOption: Codable, Sendable, Hashable {
    /// The offer's id, what `book_flight` takes.
    public var id: String
    /// The airline.
    public var airline: String
    /// The flight number.
    public var flightNumber: String
    /// Local departure time, `yyyy-MM-ddTHH:mm`.
    public var departs: String
    /// Local arrival time, `yyyy-MM-ddTHH:mm`.
    public var arrives: String
    /// Stops on the way (0: direct).
    public var stops: Int
    /// The fare in whole euros.
    public var priceEUR: Int

    enum CodingKeys: String, CodingKey {
        case id, airline, flightNumber = "flight_number", departs, arrives, stops, priceEUR = "price_eur"
    }

    /// Creates an offer.
    public init(
        id: String, airline: String, flightNumber: String, departs: String, arrives: String, stops: Int,
        priceEUR: Int
    ) {
        self.id = id
        self.airline = airline
        self.flightNumber = flightNumber
        self.departs = departs
        self.arrives = arrives
        self.stops = stops
        self.priceEUR = priceEUR
    }
}
