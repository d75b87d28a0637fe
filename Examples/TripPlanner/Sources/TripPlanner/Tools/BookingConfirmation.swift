/// What `book_flight` answers. It never repeats the payment token.
public struct BookingConfirmation: Codable, Sendable, Hashable {
    /// The booking reference.
    public var reference: String
    /// The offer booked.
    public var flightID: String
    /// Who travels.
    public var passenger: String
    /// What was charged, whole euros.
    public var chargedEUR: Int
    /// `confirmed`.
    public var status: String

    enum CodingKeys: String, CodingKey {
        case reference, flightID = "flight_id", passenger, chargedEUR = "charged_eur", status
    }

    /// Creates a confirmation.
    public init(reference: String, flightID: String, passenger: String, chargedEUR: Int, status: String) {
        self.reference = reference
        self.flightID = flightID
        self.passenger = passenger
        self.chargedEUR = chargedEUR
        self.status = status
    }
}
