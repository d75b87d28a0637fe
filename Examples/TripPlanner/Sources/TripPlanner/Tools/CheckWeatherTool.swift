import AgentRuntime

/// `check_weather`: a tool written out by hand — an explicit ``JSONSchema`` and a body over ``JSONValue`` — for
/// when the input is not worth a `Codable` type. The runtime checks a call's arguments against ``parameters``
/// before ``execute(_:context:)`` runs, so the body can rely on them.
public struct CheckWeatherTool: Tool {
    /// Creates the tool.
    public init() {}

    /// `check_weather`.
    public var name: String { TripTools.checkWeatherName }

    /// What the model reads.
    public var description: String { "The weather forecast for a city on a day (yyyy-MM-dd)." }

    /// `{city: string, date: string}`, both required, nothing else.
    public var parameters: JSONSchema {
        .object(
            properties: [
                "city": .string(description: "The city, e.g. Lisbon"),
                "date": .string(description: "The day, yyyy-MM-dd"),
            ],
            required: ["city", "date"], additionalProperties: false)
    }

    /// The forecast from ``TravelCatalog/forecast(city:date:)``.
    /// - Throws: ``ToolError`` (`invalidParameters`) when a parameter is missing (the schema check comes first,
    ///   so only a direct caller sees it).
    public func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        let city = try parameters.requiredString("city", tool: name)
        let date = try parameters.requiredString("date", tool: name)
        return try JSONValue(encoding: TravelCatalog.forecast(city: city, date: date))
    }
}
