import AgentRuntime
/// `identify_missing_data` (data_helper): what the request lacks for its category, as a list and as questions.
public struct IdentifyMissingDataTool: Tool {
    /// `identify_missing_data`
    public static let toolName = "identify_missing_data"
    /// `identify_missing_data`
    public var name: String { Self.toolName }
    /// What the tool does, for a model.
    public var description: String { "Lists the data a request lacks for a good answer, and the questions to ask for it." }
    /// The parameters it reads.
    public var parameters: JSONSchema { Self.schema }
    static let schema: JSONSchema =
        JSONSchema.object(
            properties: [
                "request": .string(description: "The user's request"), "category": .string(),
                "data_sufficiency": .string(choices: ["sufficient", "partial", "insufficient"]),
            ], required: ["request"])

    /// A piece of data a category needs, and the units (or currency) that provide it.
    struct Need: Sendable {
        var item: String
        var units: Set<String>
        var currency = false

        func isSatisfied(by quantity: Quantity) -> Bool {
            (currency && quantity.isCurrency) || units.contains(quantity.unit)
        }
    }

    static let needs: [String: [Need]] = [
        "cost": [
            Need(item: "current monthly spend", units: [], currency: true),
            Need(
                item: "usage volume (requests, users or instances)",
                units: ["requests", "users", "instances", "servers", "nodes", "rps", "qps", "calls"]),
            Need(item: "target saving or budget (percent or amount)", units: ["%"]),
        ],
        "performance": [
            Need(item: "current latency (ms)", units: ["ms", "s", "sec", "seconds"]),
            Need(item: "traffic volume (requests per second)", units: ["rps", "qps", "req/s", "requests"]),
            Need(item: "latency target", units: ["%", "ms"]),
        ],
        "reliability": [
            Need(item: "error rate (%)", units: ["%"]),
            Need(item: "incident duration", units: ["min", "minutes", "h", "hours", "s", "seconds"]),
        ],
        "capacity": [
            Need(item: "current load", units: ["rps", "qps", "users", "requests"]),
            Need(
                item: "resources in use (servers, cores, memory)",
                units: ["servers", "nodes", "instances", "cores", "cpus", "gb", "tb"]),
        ],
    ]
    static let generalNeeds = [
        Need(item: "the numbers behind the request (amounts, volumes, durations)", units: [], currency: true),
        Need(item: "the goal, as a number", units: ["%"]),
    ]

    /// Creates the tool.
    public init() {}

    /// Parameters `{request, category, data_sufficiency}`; results `{missing[], questions[], quantities_found}`.
    public func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        let request = try parameters.requiredString("request", tool: name)
        let category = parameters["category"]?.stringValue ?? "general"
        let quantities = QuantityScanner.quantities(in: request)
        let needed = Self.needs[category] ?? Self.generalNeeds
        let missing = needed.filter { need in !quantities.contains(where: need.isSatisfied(by:)) }.map(\.item)
        return [
            "missing": .array(missing.map { .string($0) }),
            "questions": .array(missing.map { .string("What is the \($0)?") }),
            "quantities_found": .number(Double(quantities.count)),
        ]
    }
}
