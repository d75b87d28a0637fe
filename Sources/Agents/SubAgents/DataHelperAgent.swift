/// Lists what the request lacks with `identify_missing_data`, so the answer can ask for it.
struct DataHelperAgent: SubAgent {
    let name = AgentName.dataHelper
    let instanceID: String

    func taskDescription(for handoff: Handoff) -> String {
        "Find out which data the request is missing"
    }

    func perform(_ session: AgentSession, handoff: Handoff) async throws -> AgentOutput {
        let sufficiency = handoff.classification?.dataSufficiency.rawValue ?? "unknown"
        try await session.think("Triage found the data \(sufficiency); listing what is needed to answer well.")
        var parameters = handoff.classificationParameters
        parameters["request"] = .string(handoff.request)
        let results = try await session.use(IdentifyMissingDataTool.toolName, .object(parameters))
        let missing = results["missing"]?.arrayValue?.compactMap(\.stringValue) ?? []
        var handoff = handoff
        handoff.missingData = missing
        let summary = missing.isEmpty ? "nothing essential is missing" : "missing: " + missing.joined(separator: "; ")
        handoff.findings.append("data_helper: \(summary)")
        return AgentOutput(summary: "Checked the data: \(summary).", handoff: handoff)
    }
}
