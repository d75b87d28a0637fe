/// The example's stand-in for a flight, weather and booking provider: every answer is a pure function of its
/// input — no randomness, no clock — so that a recorded run re-executes to the same events
/// (`replay --verify`) and tests can state exact values.
///
/// A real team replaces these bodies with calls to its providers; the tools around them stay the same.
public enum TravelCatalog {
    /// The offers for a query, cheapest first: a direct flight and a cheaper one with a stop.
    public static func search(_ query: FlightQuery) -> FlightSearchResult {
        let seed = Self.seed(query.origin, query.destination, query.date)
        let code = Self.code(of: query.destination)
        let direct = FlightOption(
            id: "\(code)-\(query.date)-D\(seed % 90 + 10)", airline: "Golden Air",
            flightNumber: "GA \(100 + seed % 800)", departs: "\(query.date)T07:\(Self.twoDigits(seed % 60))",
            arrives: "\(query.date)T10:\(Self.twoDigits((seed / 7) % 60))", stops: 0, priceEUR: 140 + seed % 60)
        let withStop = FlightOption(
            id: "\(code)-\(query.date)-S\(seed % 70 + 20)", airline: "Path Airways",
            flightNumber: "PA \(200 + seed % 700)", departs: "\(query.date)T12:\(Self.twoDigits((seed / 3) % 60))",
            arrives: "\(query.date)T18:\(Self.twoDigits((seed / 5) % 60))", stops: 1, priceEUR: 90 + seed % 45)
        return FlightSearchResult(
            origin: query.origin, destination: query.destination, date: query.date, returnDate: query.returnDate,
            options: [withStop, direct].sorted { $0.priceEUR < $1.priceEUR })
    }

    /// The forecast for a city on a day.
    public static func forecast(city: String, date: String) -> WeatherReport {
        let seed = Self.seed(city, date)
        let skies = ["sunny", "partly cloudy", "light rain", "windy and bright"]
        let high = 14 + seed % 14
        return WeatherReport(
            city: city, date: date, summary: skies[seed % skies.count], highC: high, lowC: high - 6 - seed % 4)
    }

    /// Books an offer: the reference depends only on the offer and the passenger, so booking the same offer for
    /// the same passenger twice (a call repeated after a crash) gives the same reference.
    public static func book(_ request: BookingRequest) -> BookingConfirmation {
        let seed = Self.seed(request.flightID, request.passenger)
        let reference = "TRP-" + String(seed % 1_679_616, radix: 36, uppercase: true).leftPadded(to: 4)
        return BookingConfirmation(
            reference: reference, flightID: request.flightID, passenger: request.passenger,
            chargedEUR: request.amountEUR, status: "confirmed")
    }

    /// A stable number from text (Swift's `hashValue` changes from one process to the next; this does not).
    static func seed(_ parts: String...) -> Int {
        var value = 17
        for scalar in parts.joined(separator: "|").unicodeScalars {
            value = (value &* 31 &+ Int(scalar.value)) % 1_000_003
        }
        return value
    }

    /// The first three letters of a city, upper-cased (`Lisbon` → `LIS`).
    static func code(of city: String) -> String {
        String(city.filter(\.isLetter).prefix(3)).uppercased()
    }

    static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
