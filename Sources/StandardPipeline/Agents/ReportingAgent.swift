import AgentRuntime

/// Writes the answer with `llm_report_generation`; when the language model gives no usable answer, it writes the
/// deterministic fallback report instead. It never fails the run.
struct ReportingAgent: Agent {
    let name = AgentName.reporting

    func taskDescription(for state: StandardRunState) -> String {
        "Write the answer from what the earlier steps found and could not do"
    }

    func run(_ session: AgentSession, state: StandardRunState) async throws -> AgentResult<StandardRunState> {
        let sources = state.findings.map { $0.prefix { $0 != ":" } }.joined(separator: ", ")
        let gaps = state.failedSteps.isEmpty && state.missingData.isEmpty ? "" : ", and what is missing"
        try await session.think("Writing the answer from \(sources.isEmpty ? "the request" : sources)\(gaps).")
        var parameters = state.classificationParameters
        parameters["request"] = .string(state.request)
        parameters["findings"] = .array(state.findings.map { .string($0) })
        parameters["missing"] = .array(state.missingData.map { .string($0) })
        parameters["failed_steps"] = .array(state.failedSteps.map { .string($0) })
        var state = state
        let report: String
        do {
            let results = try await session.use(ReportGenerationTool.toolName, .object(parameters))
            report = results["report"]?.stringValue ?? ""
        } catch let failure as AgentFailure {
            state.usedFallbackReport = true
            report = FallbackReport.text(for: state, reason: failure.message)
        }
        return AgentResult(summary: report, state: state)
    }
}
