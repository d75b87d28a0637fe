import AgentRuntime

/// Classifies the request with `classify_request`; its verdict picks the rest of the run.
struct TriageAgent: Agent {
    let name = AgentName.triage

    func taskDescription(for state: StandardRunState) -> String {
        "Classify the request: category, priority and whether it holds enough data"
    }

    func run(_ session: AgentSession, state: StandardRunState) async throws -> AgentResult<StandardRunState> {
        try await session.think("Reading the request for its topic, its urgency and the numbers it gives.")
        let results = try await session.use(ClassifyRequestTool.toolName, ["request": .string(state.request)])
        var state = state
        let summary = try Self.absorb(results, into: &state)
        return AgentResult(summary: summary, state: state)
    }

    /// Records a classification in the state and returns the agent's summary.
    /// - Throws: ``AgentFailure`` (`AGENT_FAILED`) when the classification is incomplete.
    static func absorb(_ results: JSONValue, into state: inout StandardRunState) throws -> String {
        guard let category = results["category"]?.stringValue, let priority = results["priority"]?.stringValue,
            let sufficiency = results["data_sufficiency"]?.stringValue.flatMap(DataSufficiency.init(rawValue:))
        else {
            throw AgentFailure(code: "AGENT_FAILED", message: "classify_request returned an incomplete classification")
        }
        state.classification = StandardRunState.Classification(
            category: category, priority: priority, dataSufficiency: sufficiency)
        let count = results["quantities_found"]?.intValue ?? 0
        let summary = "category \(category), priority \(priority), data \(sufficiency.rawValue) (\(count) figure(s))"
        state.findings.append("triage: \(summary)")
        return "Classified the request: \(summary)."
    }
}
