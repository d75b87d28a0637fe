import AgentRuntime

/// Plans the steps for the best option with `plan_actions`.
struct ActionsAgent: Agent {
    let name = AgentName.actions

    func taskDescription(for state: StandardRunState) -> String {
        "Plan the actions for the best option"
    }

    func run(_ session: AgentSession, state: StandardRunState) async throws -> AgentResult<StandardRunState> {
        let option = state.topOption ?? "the best option"
        try await session.think("Turning \"\(option)\" into concrete steps.")
        var parameters = state.classificationParameters
        parameters["top_option"] = .string(option)
        parameters["estimated_change_pct"] = state.estimate?["estimated_change_pct"] ?? .null
        let results = try await session.use(PlanActionsTool.toolName, .object(parameters))
        var state = state
        return AgentResult(summary: Self.absorb(results, into: &state), state: state)
    }

    /// Records the plan in the state and returns the agent's summary.
    static func absorb(_ results: JSONValue, into state: inout StandardRunState) -> String {
        let steps = results["actions"]?.arrayValue?.compactMap { $0["action"]?.stringValue } ?? []
        let timeline = results["timeline"]?.stringValue ?? "soon"
        state.actions = steps
        let summary = "\(steps.count) step(s), \(timeline)" + (steps.first.map { ", starting with: \($0)" } ?? "")
        state.findings.append("actions: \(summary)")
        return "Planned \(summary)."
    }
}
