import AgentRuntime

/// Extracts the request's figures with `extract_metrics`.
struct DataAgent: Agent {
    let name = AgentName.data

    func taskDescription(for state: StandardRunState) -> String {
        "Extract the figures (amounts, volumes, durations) from the request"
    }

    func run(_ session: AgentSession, state: StandardRunState) async throws -> AgentResult<StandardRunState> {
        let category = state.classification?.category ?? "general"
        try await session.think("Extracting the figures that matter for a \(category) question.")
        var parameters = state.classificationParameters
        parameters["request"] = .string(state.request)
        let results = try await session.use(ExtractMetricsTool.toolName, .object(parameters))
        var state = state
        return AgentResult(summary: Self.absorb(results, into: &state), state: state)
    }

    /// Records the figures in the state and returns the agent's summary.
    static func absorb(_ results: JSONValue, into state: inout StandardRunState) -> String {
        let metrics = results["metrics"]?.arrayValue ?? []
        state.metrics = metrics
        let texts = metrics.compactMap { $0["text"]?.stringValue }
        let summary = texts.isEmpty ? "no figures found" : "figures " + texts.joined(separator: ", ")
        state.findings.append("data: \(summary)")
        return "Extracted \(metrics.count) figure(s): \(summary)."
    }
}
