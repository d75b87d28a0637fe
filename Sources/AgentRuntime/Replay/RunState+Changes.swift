import Foundation

extension RunState {
    /// What changed from `old` to this state, one line for people each.
    public func changes(since old: RunState) -> [String] {
        var lines: [String] = []
        if status != old.status { lines.append("status \(old.status.rawValue) → \(status.rawValue)") }
        if request != old.request, let request { lines.append("request \(Self.clip(quoted: request))") }
        for (index, agent) in agents.enumerated() {
            let before = index < old.agents.count ? old.agents[index] : nil
            if before == nil { lines.append("agent \(agent.name) started") }
            if agent.steps != (before?.steps ?? 0) { lines.append("agent \(agent.name) thinking, step \(agent.steps)") }
            if let code = agent.errorCode, code != before?.errorCode {
                lines.append("agent \(agent.name) error \(code): \(agent.errorMessage ?? "")")
            }
            if agent.status != before?.status, agent.status != .running {
                lines.append("agent \(agent.name) \(agent.status.rawValue) in \(agent.durationMs ?? 0) ms")
            }
        }
        if currentAgent != old.currentAgent { lines.append("current agent → \(currentAgent ?? "none")") }
        for (index, call) in toolCalls.enumerated() {
            let before = index < old.toolCalls.count ? old.toolCalls[index] : nil
            if before == nil, let parameters = call.parameters {
                lines.append("tool \(call.toolName) (\(call.agentName)) executing \(Self.clip(parameters.jsonText))")
            }
            if call.status != before?.status, call.status != .running {
                let results = call.results.map { " " + Self.clip($0.jsonText) } ?? ""
                lines.append("tool \(call.toolName) → \(call.status.rawValue)\(results)")
            }
        }
        for (index, call) in llmCalls.enumerated() {
            let before = index < old.llmCalls.count ? old.llmCalls[index] : nil
            if before == nil {
                lines.append("llm call by \(call.agentName) for \(call.purpose) to \(call.requestedModel)")
            }
            if call.status != before?.status {
                switch call.status {
                case .waiting: break
                case .answered:
                    lines.append(
                        "llm answered by \(call.answeredBy ?? "?"): \(call.promptTokens ?? 0)+\(call.completionTokens ?? 0)"
                            + " tokens, \(call.attempts ?? 0) attempt(s), \(call.latencyMs ?? 0) ms")
                case .failed:
                    lines.append("llm failed \(call.errorCode ?? "?") after \(call.attempts ?? 0) attempt(s)")
                }
            }
        }
        if path != old.path, let path { lines.append("path → \(path)") }
        if let outcome, old.outcome == nil {
            var line = "run \(outcome.status.rawValue)"
            if outcome.degraded { line += " (degraded)" }
            if let code = outcome.errorCode { line += " \(code): \(outcome.message ?? "")" }
            if let answer = outcome.finalResponse { line += " answer \(Self.clip(quoted: answer))" }
            lines.append(line)
        }
        return lines
    }

    /// Text cut to `limit` characters on one line.
    static func clip(_ text: String, limit: Int = 100) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count <= limit ? flat : String(flat.prefix(limit - 1)) + "…"
    }

    static func clip(quoted text: String) -> String { "\"" + clip(text, limit: 80) + "\"" }
}
