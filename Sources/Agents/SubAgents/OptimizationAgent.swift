import Foundation

/// Estimates the change an optimization could make (`estimate_cost_change`) and ranks options (`rank_options`).
struct OptimizationAgent: SubAgent {
    let name = AgentName.optimization
    let instanceID: String

    func taskDescription(for handoff: Handoff) -> String {
        "Estimate the possible change and rank the options"
    }

    func perform(_ session: AgentSession, handoff: Handoff) async throws -> AgentOutput {
        try await session.think(
            "Using \(handoff.metrics.count) figure(s) to estimate the change, then ranking options.")
        var parameters = handoff.classificationParameters
        parameters["metrics"] = .array(handoff.metrics)
        let estimate = try await session.use(EstimateCostChangeTool.toolName, .object(parameters))
        var rankParameters = handoff.classificationParameters
        rankParameters["estimated_change_pct"] = estimate["estimated_change_pct"] ?? .null
        let ranking = try await session.use(RankOptionsTool.toolName, .object(rankParameters))
        var handoff = handoff
        handoff.estimate = estimate
        handoff.topOption = ranking["top"]?.stringValue
        let change = estimate["estimated_change_pct"]?.doubleValue.map { String(format: "%.0f%%", $0) } ?? "?"
        let baseline = estimate["baseline"]?.doubleValue.map { String(format: "%.2f", $0) } ?? "?"
        let value = estimate["estimated_value"]?.doubleValue.map { String(format: "%.2f", $0) } ?? "?"
        let unit = estimate["unit"]?.stringValue ?? ""
        let summary = """
            estimated change \(change) (\(baseline) \(unit) to \(value) \(unit)); best option: \
            \(handoff.topOption ?? "none")
            """
        handoff.findings.append("optimization: \(summary)")
        return AgentOutput(summary: "Estimated and ranked: \(summary).", handoff: handoff)
    }
}
