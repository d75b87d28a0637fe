/// What `search_flights` answers: the query it answered and the offers, cheapest first.
public struct FlightSearchResult: Codable, Sendable, Hashable {
    /// The departure city.
    public var origin: String
    /// The arrival city.
    public var destination: String
    /// The outbound date.
    public var date: String
    /// The return date, for a round trip.
    public var returnDate: String?
    /// The offers, cheapest first.
    public var options: [FlightOption]

    enum CodingKeys: String, CodingKey {
        case origin, destination, date, returnDate = "return_date", options
    }

    /// Creates a result.
    public init(origin: String, destination: String, date: String, returnDate: String?, options: [FlightOption]) {
        self.origin = origin
        self.destination = destination
        self.date = date
        self.returnDate = returnDate
        self.options = options
    }
}
