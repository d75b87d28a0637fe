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
        let text = SearchableText(request.lowercased())
        var category = "general"
        var keywords: [JSONValue] = []
        var bestScore = 0
        for (candidate, words) in Self.categories {
            let hits = words.filter(text.contains)
            if hits.count > bestScore {
                bestScore = hits.count
                category = candidate
                keywords = hits.map { .string($0) }
            }
        }
        let priority =
            Self.urgentWords.contains(where: text.contains)
            ? "high"
            : Self.soonWords.contains(where: text.contains) ? "medium" : "low"
        let count = QuantityScanner.quantities(in: request).count
        let sufficiency = DataSufficiency(quantityCount: count)
        return [
            "category": .string(category), "priority": .string(priority),
            "data_sufficiency": .string(sufficiency.rawValue), "quantities_found": .number(Double(count)),
            "keywords": .array(keywords),
        ]
    }
}

/// A text searched for many keywords: its UTF-8 bytes, taken once. `String.contains` would go through the generic
/// searcher for every keyword.
private struct SearchableText {
    let bytes: [UInt8]

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    func contains(_ keyword: String) -> Bool {
        let needle = Array(keyword.utf8)
        guard let first = needle.first else { return true }
        guard needle.count <= bytes.count else { return false }
        return (0...(bytes.count - needle.count)).contains { start in
            bytes[start] == first && bytes[start..<(start + needle.count)].elementsEqual(needle)
        }
    }
}
