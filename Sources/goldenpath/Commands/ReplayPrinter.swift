import AgentRuntime
import Foundation

/// The people's output of `goldenpath replay`.
enum ReplayPrinter {
    static func print(_ replay: RunReplayer.Replay, until: Int64?, foldingDeltas: Bool) {
        let state = replay.state
        Swift.print(
            Terminal.bold("replay \(state.runID)") + "  user \(state.userID ?? "?")  thread \(state.threadID ?? "?")")
        var printedResponse: String?
        for transition in replay.transitions {
            // A streamed response: one line with its whole text, at its first delta (unless asked for each).
            let response = transition.type == EventType.agentResponseDelta.rawValue
                ? state.responses.first { ($0.firstSeq...$0.lastSeq).contains(transition.seq) } : nil
            if foldingDeltas, let response {
                if printedResponse == response.responseID { continue }
                printedResponse = response.responseID
                var head = "[\(transition.position)] seq \(response.firstSeq)…\(response.lastSeq)  "
                    + Terminal.bold(transition.type) + "  \(response.agentName)  \(response.responseID)"
                    + " ×\(response.deltaCount)"
                if let reset = response.reset { head += "  (reset: \(reset.rawValue))" }
                Swift.print(head)
                Swift.print("      text \"\(clip(response.text))\"")
                continue
            }
            printedResponse = nil
            var head = "[\(transition.position)] seq \(transition.seq)  \(Terminal.bold(transition.type))"
            if let agent = transition.agentName { head += "  \(agent)" }
            if let tool = transition.toolName { head += "  \(tool)" }
            Swift.print(head)
            for change in transition.changes { Swift.print("      " + change) }
        }
        Swift.print("")
        Swift.print(Terminal.bold(until.map { "state after seq \($0)" } ?? "final state"))
        print(state)
    }

    static func print(_ state: RunState) {
        var lines: [(String, String)] = [
            ("status", Terminal.status(state.status.rawValue)),
            ("current agent", state.currentAgent ?? "-"),
            ("path", state.path ?? "-"),
            ("events", "\(state.eventCount) (seq \(state.firstSeq ?? 0)…\(state.lastSeq ?? 0))"),
        ]
        for agent in state.agents {
            var text = Terminal.status(agent.status.rawValue)
            if let duration = agent.durationMs { text += " in \(duration) ms" }
            if let code = agent.errorCode { text += " (\(code): \(agent.errorMessage ?? ""))" }
            lines.append(("agent \(agent.name)", text))
        }
        for call in state.toolCalls {
            let results = call.results.map { " " + clip($0.jsonText) } ?? ""
            lines.append(("tool \(call.toolName)", Terminal.status(call.status.rawValue) + results))
        }
        for call in state.llmCalls {
            var text = "\(call.status.rawValue) by \(call.answeredBy ?? call.requestedModel)"
            if let prompt = call.promptTokens, let completion = call.completionTokens {
                text += ", \(prompt)+\(completion) tokens"
            }
            if let attempts = call.attempts { text += ", \(attempts) attempt(s)" }
            if let code = call.errorCode { text += " \(code)" }
            lines.append(("llm \(call.agentName)", text))
        }
        for response in state.responses {
            var text = "\(response.deltaCount) delta(s) \"\(clip(response.text, limit: 80))\""
            if let reset = response.reset { text += " reset: \(reset.rawValue)" }
            lines.append(("response \(response.responseID) \(response.agentName)", text))
        }
        for connection in state.deliveries.keys.sorted() {
            let frames = state.deliveries[connection] ?? []
            let user = frames.first?.recipientUserID ?? "?"
            lines.append(("connection \(connection.prefix(8))", "\(frames.count) frame(s) sent to user \(user)"))
        }
        if let outcome = state.outcome {
            var text = Terminal.status(outcome.status.rawValue)
            if outcome.degraded { text += " (degraded)" }
            if let code = outcome.errorCode { text += " \(code): \(outcome.message ?? "")" }
            lines.append(("outcome", text))
            if let answer = outcome.finalResponse { lines.append(("answer", clip(answer))) }
        }
        let width = lines.map(\.0.count).max() ?? 0
        for (label, value) in lines {
            Swift.print("  " + label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value)
        }
    }

    static func print(_ report: VerificationReport) {
        guard let divergence = report.divergence else {
            Swift.print(
                "replay --verify \(report.runID): " + Terminal.green("clean")
                    + " (\(report.actualCount) events re-executed, \(report.expectedCount) recorded)")
            return
        }
        let seq = divergence.expected.map { " (recorded seq \($0.seq))" } ?? ""
        Swift.print(
            "replay --verify \(report.runID): " + Terminal.red("DIVERGED")
                + " at event \(divergence.position) of \(report.expectedCount)\(seq);"
                + " \(report.actualCount) event(s) re-executed")
        Swift.print("  differs:  \(divergence.fields.joined(separator: ", "))")
        for field in divergence.fields.prefix(5) where field != "event" {
            let expected = divergence.expected?.value(at: field).map { clip($0.jsonText) } ?? "(absent)"
            let actual = divergence.actual?.value(at: field).map { clip($0.jsonText) } ?? "(absent)"
            Swift.print("    \(field): expected \(expected), actual \(actual)")
        }
        Swift.print("  expected: \(describe(divergence.expected))")
        Swift.print("  actual:   \(describe(divergence.actual))")
    }

    private static func describe(_ event: ComparedEvent?) -> String {
        guard let event else { return "(no event)" }
        var parts = [event.type]
        if let agent = event.agentName { parts.append("agent=\(agent)") }
        if let tool = event.toolName { parts.append("tool=\(tool)") }
        parts.append(clip(event.payload.jsonText, limit: 400))
        return parts.joined(separator: " ")
    }

    private static func clip(_ text: String, limit: Int = 120) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count <= limit ? flat : String(flat.prefix(limit - 1)) + "…"
    }
}
