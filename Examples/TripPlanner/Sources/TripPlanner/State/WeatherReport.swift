/// The forecast `check_weather` gives for a city and a day.
public struct WeatherReport: Codable, Sendable, Hashable {
    /// The city.
    public var city: String
    /// The day, `yyyy-MM-dd`.
    public var date: String
    /// The sky in words (`sunny`, `light rain`, …).
    public var summary: String
    /// The day's high, °C.
    public var highC: Int
    /// The night's low, °C.
    public var lowC: Int

    enum CodingKeys: String, CodingKey {
        case city, date, summary, highC = "high_c", lowC = "low_c"
    }

    /// Creates a forecast.
    public init(city: String, date: String, summary: String, highC: Int, lowC: Int) {
        self.city = city
        self.date = date
        self.summary = summary
        self.highC = highC
        self.lowC = lowC
    }
}
