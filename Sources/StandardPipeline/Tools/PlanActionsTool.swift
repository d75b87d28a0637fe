import AgentRuntime
/// `plan_actions` (actions): concrete steps to carry out the top-ranked option.
public struct PlanActionsTool: Tool {
    /// `plan_actions`
    public static let toolName = "plan_actions"
    /// `plan_actions`
    public var name: String { Self.toolName }
    /// What the tool does, for a model.
    public var description: String { "Turns the best option into concrete steps with a timeline." }
    /// The parameters it reads.
    public var parameters: JSONSchema { Self.schema }
    static let schema: JSONSchema =
        JSONSchema.object(
            properties: [
                "top_option": .string(description: "The option to plan"), "priority": .string(),
                "estimated_change_pct": JSONSchema([:]),
            ], required: ["top_option"])

    /// Creates the tool.
    public init() {}

    /// Parameters `{top_option, priority, estimated_change_pct}`; results `{actions[{step, action}], timeline}`.
    public func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        let option = try parameters.requiredString("top_option", tool: name)
        let priority = parameters["priority"]?.stringValue ?? "low"
        let steps = [
            "Confirm the baseline numbers with the owners",
            "Plan the change: \(option)",
            "Roll it out to a small share first and compare against the baseline",
            "Roll out fully and track the result for two weeks",
        ]
        let timeline = priority == "high" ? "this week" : priority == "medium" ? "within two weeks" : "this month"
        return [
            "actions": .array(
                steps.enumerated().map { index, step in
                    ["step": .number(Double(index + 1)), "action": .string(step)]
                }),
            "timeline": .string(timeline),
        ]
    }
}
