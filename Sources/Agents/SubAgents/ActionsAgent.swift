/// Plans the steps for the best option with `plan_actions`.
struct ActionsAgent: SubAgent {
    let name = AgentName.actions
    let instanceID: String

    func taskDescription(for handoff: Handoff) -> String {
        "Plan the actions for the best option"
    }

    func perform(_ session: AgentSession, handoff: Handoff) async throws -> AgentOutput {
        let option = handoff.topOption ?? "the best option"
        try await session.think("Turning \"\(option)\" into concrete steps.")
        var parameters = handoff.classificationParameters
        parameters["top_option"] = .string(option)
        parameters["estimated_change_pct"] = handoff.estimate?["estimated_change_pct"] ?? .null
        let results = try await session.use(PlanActionsTool.toolName, .object(parameters))
        let steps = results["actions"]?.arrayValue?.compactMap { $0["action"]?.stringValue } ?? []
        let timeline = results["timeline"]?.stringValue ?? "soon"
        var handoff = handoff
        handoff.actions = steps
        let summary = "\(steps.count) step(s), \(timeline)" + (steps.first.map { ", starting with: \($0)" } ?? "")
        handoff.findings.append("actions: \(summary)")
        return AgentOutput(summary: "Planned \(summary).", handoff: handoff)
    }
}
