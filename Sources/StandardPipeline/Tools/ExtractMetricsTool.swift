import AgentRuntime
/// `extract_metrics` (data): the numbers with units and currencies in the request.
public struct ExtractMetricsTool: Tool {
    /// `extract_metrics`
    public static let toolName = "extract_metrics"
    /// `extract_metrics`
    public var name: String { Self.toolName }
    /// What the tool does, for a model.
    public var description: String { "Extracts the figures of a request: amounts, volumes, durations, with their units." }
    /// The parameters it reads.
    public var parameters: JSONSchema { Self.schema }
    static let schema: JSONSchema =
        JSONSchema.object(
            properties: [
                "request": .string(description: "The user's request"), "category": .string(),
                "data_sufficiency": .string(),
            ], required: ["request"])

    /// Creates the tool.
    public init() {}

    /// Parameters `{request, category, data_sufficiency}`; results `{metrics[{value, unit, kind, text}], count}`.
    public func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        let request = try parameters.requiredString("request", tool: name)
        let quantities = QuantityScanner.quantities(in: request)
        return ["metrics": .array(quantities.map(\.json)), "count": .number(Double(quantities.count))]
    }
}
