import AgentRuntime

/// The answer written without the language model: deterministic, from the hand-off state alone.
enum FallbackReport {
    /// The report: the request quoted, the findings, what could not be done and why, and next steps.
    static func text(for state: StandardRunState, reason: String?) -> String {
        var parts = ["You asked: \"\(state.request)\"."]
        if let reason {
            parts.append("The full report could not be written (\(reason)); here is what the steps found.")
        }
        if !state.findings.isEmpty {
            parts.append("What the steps found:\n" + state.findings.map { "- \($0)" }.joined(separator: "\n"))
        }
        let gaps = state.missingData.map { "missing data: \($0)" } + state.failedSteps
        if !gaps.isEmpty {
            parts.append("What could not be determined:\n" + gaps.map { "- \($0)" }.joined(separator: "\n"))
        }
        var steps: [String] = []
        if !state.missingData.isEmpty { steps.append("Send the missing data") }
        if !state.failedSteps.isEmpty || reason != nil { steps.append("Ask again once the failed steps can run") }
        if !state.actions.isEmpty { steps.append(contentsOf: state.actions) }
        if steps.isEmpty { steps.append("Send the figures behind the request (amounts, volumes, goals)") }
        parts.append(
            "Next steps:\n"
                + steps.enumerated().map { "\($0.offset + 1). \($0.element)" }
                .joined(separator: "\n"))
        return parts.joined(separator: "\n\n")
    }

    /// Adds a line saying what could not be done when a degraded answer does not say it already.
    static func ensuringGapsAreStated(_ report: String, state: StandardRunState) -> String {
        guard !state.failedSteps.isEmpty, !report.contains("could not") else { return report }
        return report + "\n\nWhat could not be done:\n" + state.failedSteps.map { "- \($0)" }.joined(separator: "\n")
    }
}
