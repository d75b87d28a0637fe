/// The arguments of `search_flights`; the tool's JSON Schema is derived from this type (a property decoded with
/// `decodeIfPresent`, an optional one, is not required).
public struct FlightQuery: Codable, Sendable, Hashable {
    /// The departure city.
    public var origin: String
    /// The arrival city.
    public var destination: String
    /// The outbound date, `yyyy-MM-dd`.
    public var date: String
    /// The return date, `yyyy-MM-dd`, for a round trip.
    public var returnDate: String?

    enum CodingKeys: String, CodingKey {
        case origin, destination, date, returnDate = "return_date"
    }

    /// Creates a query.
    public init(origin: String, destination: String, date: String, returnDate: String? = nil) {
        self.origin = origin
        self.destination = destination
        self.date = date
        self.returnDate = returnDate
    }
}
