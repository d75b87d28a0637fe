/// Classifies the request with `classify_request`; its verdict picks the rest of the run.
struct TriageAgent: SubAgent {
    let name = AgentName.triage
    let instanceID: String

    func taskDescription(for handoff: Handoff) -> String {
        "Classify the request: category, priority and whether it holds enough data"
    }

    func perform(_ session: AgentSession, handoff: Handoff) async throws -> AgentOutput {
        try await session.think("Reading the request for its topic, its urgency and the numbers it gives.")
        let results = try await session.use(ClassifyRequestTool.toolName, ["request": .string(handoff.request)])
        guard let category = results["category"]?.stringValue, let priority = results["priority"]?.stringValue,
            let sufficiency = results["data_sufficiency"]?.stringValue.flatMap(DataSufficiency.init(rawValue:))
        else {
            throw AgentFailure(code: "AGENT_FAILED", message: "classify_request returned an incomplete classification")
        }
        var handoff = handoff
        handoff.classification = Handoff.Classification(
            category: category, priority: priority, dataSufficiency: sufficiency)
        let count = results["quantities_found"]?.intValue ?? 0
        let summary = "category \(category), priority \(priority), data \(sufficiency.rawValue) (\(count) figure(s))"
        handoff.findings.append("triage: \(summary)")
        return AgentOutput(summary: "Classified the request: \(summary).", handoff: handoff)
    }
}
