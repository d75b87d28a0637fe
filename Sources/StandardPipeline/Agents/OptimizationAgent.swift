import AgentRuntime
import Foundation

/// Estimates the change an optimization could make (`estimate_cost_change`) and ranks options (`rank_options`).
struct OptimizationAgent: Agent {
    let name = AgentName.optimization

    func taskDescription(for state: StandardRunState) -> String {
        "Estimate the possible change and rank the options"
    }

    func run(_ session: AgentSession, state: StandardRunState) async throws -> AgentResult<StandardRunState> {
        try await session.think(
            "Using \(state.metrics.count) figure(s) to estimate the change, then ranking options.")
        var parameters = state.classificationParameters
        parameters["metrics"] = .array(state.metrics)
        let estimate = try await session.use(EstimateCostChangeTool.toolName, .object(parameters))
        var rankParameters = state.classificationParameters
        rankParameters["estimated_change_pct"] = estimate["estimated_change_pct"] ?? .null
        let ranking = try await session.use(RankOptionsTool.toolName, .object(rankParameters))
        var state = state
        return AgentResult(summary: Self.absorb(estimate: estimate, ranking: ranking, into: &state), state: state)
    }

    /// Records the estimate and the best option in the state and returns the agent's summary.
    static func absorb(estimate: JSONValue, ranking: JSONValue, into state: inout StandardRunState) -> String {
        state.estimate = estimate
        state.topOption = ranking["top"]?.stringValue
        let change = estimate["estimated_change_pct"]?.doubleValue.map { String(format: "%.0f%%", $0) } ?? "?"
        let baseline = estimate["baseline"]?.doubleValue.map { String(format: "%.2f", $0) } ?? "?"
        let value = estimate["estimated_value"]?.doubleValue.map { String(format: "%.2f", $0) } ?? "?"
        let unit = estimate["unit"]?.stringValue ?? ""
        let summary = """
            estimated change \(change) (\(baseline) \(unit) to \(value) \(unit)); best option: \
            \(state.topOption ?? "none")
            """
        state.findings.append("optimization: \(summary)")
        return "Estimated and ranked: \(summary)."
    }
}
