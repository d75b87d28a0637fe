import AgentRuntime
/// `rank_options` (optimization): the candidate options for the category, scored and ranked.
public struct RankOptionsTool: Tool {
    /// `rank_options`
    public static let toolName = "rank_options"
    /// `rank_options`
    public var name: String { Self.toolName }
    /// What the tool does, for a model.
    public var description: String { "Ranks the options for a category by the estimated change." }
    /// The parameters it reads.
    public var parameters: JSONSchema { Self.schema }
    static let schema: JSONSchema =
        JSONSchema.object(properties: ["category": .string(), "estimated_change_pct": JSONSchema([:])])

    static let options: [String: [(name: String, impact: Double, effort: Double)]] = [
        "cost": [
            ("right-size over-provisioned instances", 0.8, 0.3), ("buy reserved capacity", 0.7, 0.2),
            ("move cold data to cheaper storage", 0.5, 0.4),
        ],
        "performance": [
            ("add a cache in front of the slowest calls", 0.8, 0.4),
            ("tune database indexes", 0.6, 0.3), ("scale out the hot service", 0.7, 0.6),
        ],
        "reliability": [
            ("add retries with backoff and timeouts", 0.7, 0.3),
            ("add health checks and automatic failover", 0.8, 0.6), ("tighten alerting", 0.5, 0.2),
        ],
        "capacity": [
            ("autoscale on load", 0.8, 0.4), ("shard the busiest store", 0.7, 0.8),
            ("add a queue to absorb peaks", 0.6, 0.4),
        ],
    ]
    static let generalOptions: [(name: String, impact: Double, effort: Double)] = [
        ("measure the baseline first", 0.6, 0.2), ("fix the largest contributor", 0.7, 0.5),
    ]

    /// Creates the tool.
    public init() {}

    /// Parameters `{category, estimated_change_pct}`; results `{options[{name, score, rank}], top}`.
    public func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        let category = parameters["category"]?.stringValue ?? "general"
        let weight = abs(parameters["estimated_change_pct"]?.doubleValue ?? 10) / 10
        let candidates = Self.options[category] ?? Self.generalOptions
        let scored = candidates.map { option in
            (name: option.name, score: ((option.impact * weight - option.effort * 0.5) * 100).rounded() / 100)
        }.sorted { $0.score != $1.score ? $0.score > $1.score : $0.name < $1.name }
        let ranked: [JSONValue] = scored.enumerated().map { index, option in
            ["name": .string(option.name), "score": .number(option.score), "rank": .number(Double(index + 1))]
        }
        return ["options": .array(ranked), "top": .string(scored.first?.name ?? "")]
    }
}
