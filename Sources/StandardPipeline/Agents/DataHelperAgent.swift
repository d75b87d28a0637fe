import AgentRuntime

/// Lists what the request lacks with `identify_missing_data`, so the answer can ask for it.
struct DataHelperAgent: Agent {
    let name = AgentName.dataHelper

    func taskDescription(for state: StandardRunState) -> String {
        "Find out which data the request is missing"
    }

    func run(_ session: AgentSession, state: StandardRunState) async throws -> AgentResult<StandardRunState> {
        let sufficiency = state.classification?.dataSufficiency.rawValue ?? "unknown"
        try await session.think("Triage found the data \(sufficiency); listing what is needed to answer well.")
        var parameters = state.classificationParameters
        parameters["request"] = .string(state.request)
        let results = try await session.use(IdentifyMissingDataTool.toolName, .object(parameters))
        var state = state
        return AgentResult(summary: Self.absorb(results, into: &state), state: state)
    }

    /// Records the missing data in the state and returns the agent's summary.
    static func absorb(_ results: JSONValue, into state: inout StandardRunState) -> String {
        let missing = results["missing"]?.arrayValue?.compactMap(\.stringValue) ?? []
        state.missingData = missing
        let summary = missing.isEmpty ? "nothing essential is missing" : "missing: " + missing.joined(separator: "; ")
        state.findings.append("data_helper: \(summary)")
        return "Checked the data: \(summary)."
    }
}
