import AgentRuntime
import Foundation

/// Prints frames for people (one line each) or as JSON lines.
struct FramePrinter: Sendable {
    let json: Bool

    func print(_ frame: JSONValue, text: String) {
        if json {
            Swift.print(text)
        } else {
            Swift.print(line(for: frame))
        }
        fflush(nil)
    }

    private func line(for frame: JSONValue) -> String {
        let type = frame["type"]?.stringValue ?? "?"
        let seq = frame["seq"]?.intValue.map { "#\($0) " } ?? ""
        var parts = ["\(seq)\(type)"]
        if let agent = frame["agent_name"]?.stringValue { parts.append(agent) }
        if let tool = frame["tool_name"]?.stringValue { parts.append(tool) }
        if let status = frame["status"]?.stringValue { parts.append("[\(status)]") }
        switch type {
        case "agent_started": parts.append(frame["task_description"]?.stringValue ?? "")
        case "agent_thinking": parts.append(frame["reasoning"]?.stringValue ?? "")
        case "agent_error", "error", "run_failed", "run_cancelled":
            parts.append(
                (frame["error_code"]?.stringValue ?? frame["code"]?.stringValue ?? "") + " "
                    + (frame["message"]?.stringValue ?? ""))
        case "message_received": parts.append("run \(frame["run_id"]?.stringValue ?? "?")")
        case "run_completed":
            if frame["degraded"]?.boolValue == true { parts.append("(degraded)") }
            parts.append("\n\n" + (frame["final_response"]?.stringValue ?? "") + "\n")
        default: break
        }
        return parts.filter { !$0.isEmpty }.joined(separator: " ")
    }
}
