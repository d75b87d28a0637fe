import AgentRuntime
/// `classify_request` (triage): the request's category and priority from keywords, and its data sufficiency from
/// how many numbers with units or currencies it holds (≥2 sufficient, 1 partial, 0 insufficient).
public struct ClassifyRequestTool: Tool {
    /// `classify_request`
    public static let toolName = "classify_request"
    /// `classify_request`
    public var name: String { Self.toolName }
    /// What the tool does, for a model.
    public var description: String { "Classifies a request: its category, priority and how much of the data an answer needs it holds." }
    /// The parameters it reads.
    public var parameters: JSONSchema { Self.schema }
    static let schema: JSONSchema =
        JSONSchema.object(properties: ["request": .string(description: "The user's request, verbatim")], required: ["request"])

    static let categories: [(category: String, keywords: [String])] = [
        ("cost", ["cost", "spend", "budget", "price", "bill", "expensive", "cheaper", "save", "saving", "$", "€"]),
        ("performance", ["latency", "slow", "fast", "throughput", "performance", "speed", "p99", "response time"]),
        ("reliability", ["error", "outage", "down", "fail", "incident", "crash", "uptime", "availability"]),
        ("capacity", ["scale", "capacity", "load", "traffic", "growth", "storage", "memory"]),
    ]
    static let urgentWords = ["urgent", "asap", "critical", "immediately", "outage", "down", "emergency"]
    static let soonWords = ["soon", "important", "this week", "priority", "quickly"]

    /// Creates the tool.
    public init() {}

    /// Parameters `{request}`; results `{category, priority, data_sufficiency, quantities_found, keywords}`.
    public func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        let request = try parameters.requiredString("request", tool: name)
        let lowered = request.lowercased()
        var category = "general"
        var keywords: [JSONValue] = []
        var bestScore = 0
        for (candidate, words) in Self.categories {
            let hits = words.filter { lowered.contains($0) }
            if hits.count > bestScore {
                bestScore = hits.count
                category = candidate
                keywords = hits.map { .string($0) }
            }
        }
        let priority =
            Self.urgentWords.contains(where: lowered.contains)
            ? "high"
            : Self.soonWords.contains(where: lowered.contains) ? "medium" : "low"
        let count = QuantityScanner.quantities(in: request).count
        let sufficiency = DataSufficiency(quantityCount: count)
        return [
            "category": .string(category), "priority": .string(priority),
            "data_sufficiency": .string(sufficiency.rawValue), "quantities_found": .number(Double(count)),
            "keywords": .array(keywords),
        ]
    }
}
