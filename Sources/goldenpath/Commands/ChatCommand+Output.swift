import Foundation
import GoldenPathClient

/// Prints frames for people (one line each) or as JSON lines.
struct FramePrinter: Sendable {
    let json: Bool

    func print(_ frame: ServerFrame) {
        if json {
            Swift.print(frame.text)
        } else {
            Swift.print(line(for: frame))
        }
        fflush(nil)
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
            parts.append("\n\n" + (end.finalResponse ?? "") + "\n")
        default: break
        }
        return parts.filter { !$0.isEmpty }.joined(separator: " ")
    }
}
