/// Extracts the request's figures with `extract_metrics`.
struct DataAgent: SubAgent {
    let name = AgentName.data
    let instanceID: String

    func taskDescription(for handoff: Handoff) -> String {
        "Extract the figures (amounts, volumes, durations) from the request"
    }

    func perform(_ session: AgentSession, handoff: Handoff) async throws -> AgentOutput {
        let category = handoff.classification?.category ?? "general"
        try await session.think("Extracting the figures that matter for a \(category) question.")
        var parameters = handoff.classificationParameters
        parameters["request"] = .string(handoff.request)
        let results = try await session.use(ExtractMetricsTool.toolName, .object(parameters))
        let metrics = results["metrics"]?.arrayValue ?? []
        var handoff = handoff
        handoff.metrics = metrics
        let texts = metrics.compactMap { $0["text"]?.stringValue }
        let summary = texts.isEmpty ? "no figures found" : "figures " + texts.joined(separator: ", ")
        handoff.findings.append("data: \(summary)")
        return AgentOutput(summary: "Extracted \(metrics.count) figure(s): \(summary).", handoff: handoff)
    }
}
