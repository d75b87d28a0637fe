import AgentRuntime
/// `estimate_cost_change` (optimization): the baseline from the metrics and the change an optimization could make.
public struct EstimateCostChangeTool: Tool {
    /// `estimate_cost_change`
    public static let toolName = "estimate_cost_change"
    /// `estimate_cost_change`
    public var name: String { Self.toolName }
    /// What the tool does, for a model.
    public var description: String { "Estimates the change an optimization could make, from the extracted figures." }
    /// The parameters it reads.
    public var parameters: JSONSchema { Self.schema }
    static let schema: JSONSchema =
        JSONSchema.object(
            properties: [
                "metrics": .array(
                    of: .object(properties: ["value": .number(description: "The figure")]),
                    description: "The figures extract_metrics found ({value, unit, kind, text})"),
                "category": .string(),
            ], required: ["metrics"])

    /// The change assumed per category, in percent.
    static let changeByCategory: [String: Double] = [
        "cost": -18, "performance": -8, "reliability": -5, "capacity": -12,
    ]

    /// Creates the tool.
    public init() {}

    /// Parameters `{metrics[], category}`; results `{baseline, unit, estimated_change_pct, estimated_value,
    /// estimated_difference}`.
    public func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        guard let metrics = parameters["metrics"]?.arrayValue, !metrics.isEmpty else {
            throw ToolError(code: .invalidParameters, message: "estimate_cost_change needs at least one metric")
        }
        let category = parameters["category"]?.stringValue ?? "general"
        let money = metrics.filter { $0["kind"]?.stringValue == "currency" }
        let basis = (money.isEmpty ? metrics : money).max {
            ($0["value"]?.doubleValue ?? 0) < ($1["value"]?.doubleValue ?? 0)
        }
        let baseline = basis?["value"]?.doubleValue ?? 0
        let unit = basis?["unit"]?.stringValue ?? ""
        let change = Self.changeByCategory[category] ?? -10
        let estimated = (baseline * (100 + change) / 100 * 100).rounded() / 100
        return [
            "baseline": .number(baseline), "unit": .string(unit), "estimated_change_pct": .number(change),
            "estimated_value": .number(estimated),
            "estimated_difference": .number(((estimated - baseline) * 100).rounded() / 100),
        ]
    }
}
