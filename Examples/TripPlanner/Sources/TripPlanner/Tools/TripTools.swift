import AgentRuntime

/// The trip planner's tools. Two are ``FunctionTool``s whose JSON Schema is derived from their `Codable` input
/// (`search_flights`, `book_flight`); `check_weather` (``CheckWeatherTool``) spells its schema out.
public enum TripTools {
    /// `search_flights`: flight offers for a route and a date (schema derived from ``FlightQuery``).
    public static let searchFlightsName = "search_flights"
    /// `check_weather`: the forecast for a city and a day.
    public static let checkWeatherName = "check_weather"
    /// `book_flight`: books an offer and charges the payment token.
    public static let bookFlightName = "book_flight"
    /// The parameter of `book_flight` that is never journaled.
    public static let paymentTokenParameter = "payment_token"

    /// Every tool of the pipeline.
    public static var all: [any Tool] { [searchFlights, CheckWeatherTool(), bookFlight] }

    /// `search_flights`, answering from ``TravelCatalog/search(_:)``.
    public static var searchFlights: FunctionTool<FlightQuery, FlightSearchResult> {
        FunctionTool(
            name: searchFlightsName,
            description: "Search flight offers from origin to destination on a date (yyyy-MM-dd), cheapest first."
        ) { query, _ in
            TravelCatalog.search(query)
        }
    }

    /// `book_flight`, booking through ``TravelCatalog/book(_:)``. `payment_token` is a secret parameter: its value
    /// is replaced by `"[REDACTED]"` in `tool_executing` (and in any model request that carries the call).
    public static var bookFlight: FunctionTool<BookingRequest, BookingConfirmation> {
        FunctionTool(
            name: bookFlightName, description: "Book a flight offer for a passenger and charge the payment token.",
            secretParameters: [paymentTokenParameter]
        ) { request, _ in
            guard request.paymentToken.hasPrefix("tok_") else {
                throw ToolError(code: .failed, message: "the payment provider declined the token")
            }
            return TravelCatalog.book(request)
        }
    }
}
