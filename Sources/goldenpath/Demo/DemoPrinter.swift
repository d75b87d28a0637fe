import Foundation
import GoldenPathClient
import Journal
import Synchronization

/// The demo's output: live frames from several users at once, whole lines only, then the summary.
final class DemoPrinter: Sendable {
    private let lock = Mutex(())
    private let width: Int

    init(users: Int) {
        width = DemoScript.username(max(0, users - 1)).count
    }

    private func line(_ text: String) {
        lock.withLock { _ in
            StandardOutput.write(text + "\n")
        }
    }

    private func name(_ index: Int) -> String {
        let text = DemoScript.username(index).padding(toLength: width, withPad: " ", startingAt: 0)
        let colors = ["36", "35", "34", "33", "32"]
        return Terminal.isColor ? "\u{1B}[\(colors[index % colors.count])m\(text)\u{1B}[0m" : text
    }

    func header(journalPath: String, durability: JournalConfiguration.Durability, port: Int) {
        line(Terminal.bold("GoldenPath demo"))
        line("  journal  \(journalPath) (durability \(durability.rawValue))")
        line("  server   http://127.0.0.1:\(port) (in-process, scripted LLM, offline)")
    }

    func users(_ sessions: [ChatClient.Session]) {
        let created = sessions.filter(\.signedUp).count
        let names = (0..<sessions.count).map(DemoScript.username).joined(separator: ", ")
        line("  users    \(names) (\(created) signed up, \(sessions.count - created) logged in)")
        line("")
    }

    func said(user: Int, message: String) {
        line("\(name(user))  > \(message)")
    }

    func frame(user: Int, _ frame: ServerFrame) {
        if case .connectionEstablished = frame { return }
        let type = frame.type ?? "?"
        let seq = frame.seq.map { String(format: "%5d", $0) } ?? "    -"
        var detail: [String] = []
        if let agent = frame.agentName { detail.append(agent) }
        if let tool = frame.toolName { detail.append(tool) }
        if let status = frame.status { detail.append(Terminal.status(status)) }
        if case .messageReceived(let ack) = frame { detail.append("run \(ack.runID)") }
        if case .agentResponseDelta(let delta) = frame {
            // The answer as it streams, one line per journaled delta.
            let text = (delta.delta ?? "").replacingOccurrences(of: "\n", with: "⏎")
            detail.append("\(delta.responseID ?? "?")#\(delta.chunkIndex ?? 0)  " + Terminal.dim("\"\(text.prefix(70))\""))
        }
        if case .agentResponseReset(let reset) = frame {
            detail.append("\(reset.responseID ?? "?") " + Terminal.yellow(reset.reason ?? "?"))
        }
        if let code = frame.errorCode { detail.append(Terminal.red(code)) }
        if frame.degraded == true { detail.append(Terminal.yellow("degraded")) }
        line(
            "\(name(user))  \(Terminal.dim(seq))  \(type.padding(toLength: 20, withPad: " ", startingAt: 0)) "
                + detail.joined(separator: "  "))
        if frame.isTerminal, let answer = frame.finalResponse {
            let first = answer.split(separator: "\n").first.map(String.init) ?? answer
            line("\(name(user))  " + Terminal.bold("answer: ") + first.prefix(110))
        }
    }

    func summary(_ report: DemoReport, journalPath: String) {
        line("")
        line(Terminal.bold("Runs"))
        var table = TextTable("USER", "RUN", "PATH", "STATUS", "EVENTS", "FRAMES", "DELIVERIES", "DURATION", "AGENTS")
        for run in report.runs {
            table.append([
                run.username, run.runID, run.path, Terminal.status(run.status) + (run.degraded ? " (degraded)" : ""),
                "\(run.eventCount)", "\(run.framesReceived)", "\(run.deliveries)",
                run.durationMs.map { "\($0) ms" } ?? "-", run.agents.joined(separator: " → "),
            ])
        }
        table.render().split(separator: "\n").forEach { line("  " + $0) }
        line("")
        line(Terminal.bold("Leak check"))
        func verdict(_ count: Int) -> String { count == 0 ? Terminal.green("0") : Terminal.red("\(count)") }
        line("  cross_user_deliveries rows            \(verdict(report.crossUserDeliveries))")
        line("  cross_user_events rows                \(verdict(report.crossUserEvents))")
        line("  canary tokens seen by another user    \(verdict(report.canaryLeaks))")
        line("  frames of another user on a socket    \(verdict(report.foreignFrames))")
        let verify = report.verify
        line(
            "  goldenpath verify                     "
                + (verify.passes()
                    ? Terminal.green("ok") : Terminal.red("FAILED: \(verify.failures.first?.description ?? "")"))
                + " (\(verify.eventCount) events, hash chain and projections checked)")
        line("")
        line(
            Terminal.bold(report.succeeded ? "Every run completed; no leak." : "The demo found a problem (see above)."))
        line("")
        line(Terminal.bold("Look further"))
        let db = journalPath.contains(" ") ? "'\(journalPath)'" : journalPath
        if let run = report.runs.first(where: { $0.runID != "-" }) {
            line(
                "  sqlite3 \(db) \"SELECT seq, type, agent_name, tool_name, offset_ms FROM run_timeline WHERE run_id = '\(run.runID)'\""
            )
            line("  sqlite3 \(db) \"SELECT * FROM run_summary ORDER BY duration_ms DESC LIMIT 10\"")
            line("  sqlite3 \(db) \"SELECT recipient_user_id, COUNT(*) FROM frames_by_user GROUP BY 1\"")
            line("  sqlite3 \(db) \"SELECT * FROM cross_user_deliveries\"     # always empty")
            line("  goldenpath show \(run.runID) --db \(db)")
            line("  goldenpath replay \(run.runID) --verify --db \(db)")
        }
        line("  goldenpath runs --db \(db)")
        line("  goldenpath verify --db \(db)")
    }
}
