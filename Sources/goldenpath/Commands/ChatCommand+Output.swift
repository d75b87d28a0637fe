import Foundation
import GoldenPathClient

/// Prints frames for people (one line each, the answer written out as it streams) or as JSON lines.
struct FramePrinter {
    let json: Bool
    /// The answer of the run being watched, rebuilt from its deltas.
    private var answer: StreamedAnswer?
    /// True while the last thing written is streamed text without its line break.
    private var midLine = false

    init(json: Bool) {
        self.json = json
    }

    mutating func print(_ frame: ServerFrame) {
        defer { fflush(nil) }
        guard !json else {
            Swift.print(frame.text)
            return
        }
        if case .messageReceived(let ack) = frame { answer = StreamedAnswer(runID: ack.runID) }
        let update = answer?.apply(frame)
        switch update {
        case .appended(let responseID, let text)?:
            if !midLine {
                Swift.print("#\(frame.seq ?? 0) answer \(frame.agentName ?? "") \(responseID): ", terminator: "")
            }
            Swift.print(text, terminator: "")
            midLine = true
            return
        case .reset(let responseID, let reason)?:
            endLine()
            Swift.print("#\(frame.seq ?? 0) \(responseID) reset (\(reason)): that text is not the answer")
            return
        case .gap, .ended, nil:
            if case .agentResponseDelta = frame { return }  // a re-sent or stale delta
            endLine()
        }
        Swift.print(line(for: frame))
    }

    private mutating func endLine() {
        if midLine { Swift.print("") }
        midLine = false
    }

    private func line(for frame: ServerFrame) -> String {
        let seq = frame.seq.map { "#\($0) " } ?? ""
        var parts = ["\(seq)\(frame.type ?? "?")"]
        if let agent = frame.agentName { parts.append(agent) }
        if let tool = frame.toolName { parts.append(tool) }
        if let status = frame.status { parts.append("[\(status)]") }
        switch frame {
        case .agentStarted(let event): parts.append(event.taskDescription ?? "")
        case .agentThinking(let event): parts.append(event.reasoning ?? "")
        case .agentError, .error, .runFailed, .runCancelled:
            parts.append((frame.errorCode ?? "") + " " + (frame.message ?? ""))
        case .messageReceived(let ack): parts.append("run \(ack.runID)")
        case .runCompleted(let end):
            if end.degraded == true { parts.append("(degraded)") }
            let final = end.finalResponse ?? ""
            // The reporting agent's answer streamed above when the deltas add up to it; else print it whole.
            let streamed = answer?.responses.contains { $0.resetReason == nil && $0.text == final } ?? false
            parts.append(streamed && !final.isEmpty ? "(the answer streamed above)" : "\n\n" + final + "\n")
        default: break
        }
        return parts.filter { !$0.isEmpty }.joined(separator: " ")
    }
}
