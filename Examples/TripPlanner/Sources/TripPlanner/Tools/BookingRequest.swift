/// The arguments of `book_flight`. `payment_token` is one of the tool's secret parameters: the runtime journals
/// it as `"[REDACTED]"` and it never reaches the journal file.
public struct BookingRequest: Codable, Sendable, Hashable {
    /// The offer to book (``FlightOption/id``).
    public var flightID: String
    /// Who travels.
    public var passenger: String
    /// The fare to charge, whole euros.
    public var amountEUR: Int
    /// The card-on-file token to charge.
    public var paymentToken: String

    enum CodingKeys: String, CodingKey {
        case flightID = "flight_id", passenger, amountEUR = "amount_eur", paymentToken = "payment_token"
    }

    /// Creates a request.
    public init(flightID: String, passenger: String, amountEUR: Int, paymentToken: String) {
        self.flightID = flightID
        self.passenger = passenger
        self.amountEUR = amountEUR
        self.paymentToken = paymentToken
    }
}
