/// Writes the answer with `llm_report_generation`; when the language model gives no usable answer, it writes the
/// deterministic fallback report instead. It never fails the run.
struct ReportingAgent: SubAgent {
    let name = AgentName.reporting
    let instanceID: String

    func taskDescription(for handoff: Handoff) -> String {
        "Write the answer from what the earlier steps found and could not do"
    }

    func perform(_ session: AgentSession, handoff: Handoff) async throws -> AgentOutput {
        let sources = handoff.findings.map { $0.prefix { $0 != ":" } }.joined(separator: ", ")
        let gaps = handoff.failedSteps.isEmpty && handoff.missingData.isEmpty ? "" : ", and what is missing"
        try await session.think("Writing the answer from \(sources.isEmpty ? "the request" : sources)\(gaps).")
        var parameters = handoff.classificationParameters
        parameters["request"] = .string(handoff.request)
        parameters["findings"] = .array(handoff.findings.map { .string($0) })
        parameters["missing"] = .array(handoff.missingData.map { .string($0) })
        parameters["failed_steps"] = .array(handoff.failedSteps.map { .string($0) })
        var handoff = handoff
        let report: String
        do {
            let results = try await session.use(ReportGenerationTool.toolName, .object(parameters))
            report = results["report"]?.stringValue ?? ""
        } catch let failure as AgentFailure {
            handoff.usedFallbackReport = true
            report = FallbackReport.text(for: handoff, reason: failure.message)
        }
        return AgentOutput(summary: report, handoff: handoff)
    }
}
