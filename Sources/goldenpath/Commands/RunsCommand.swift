import AgentRuntime
import ArgumentParser
import Foundation
import Journal

/// `goldenpath runs`: the runs of a journal, newest first.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "List runs (id, user, thread, status, agents, events, duration, model, tokens).")

    @OptionGroup var journal: JournalOptions
    @Option(help: "Only this user's runs.") var user: String?
    @Option(help: "Only runs with this status (pending, running, completed, failed, cancelled).") var status: String?
    @Option(help: "At most this many runs.") var limit = 50
    @Flag(help: "One JSON object per line.") var json = false

    func validate() throws {
        let statuses = ["pending", "running", "completed", "failed", "cancelled"]
        if let status, !statuses.contains(status) {
            throw ValidationError("--status must be one of \(statuses.joined(separator: ", "))")
        }
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        try await reportingFailures {
            let opened = try await journal.openExisting()
            defer { try? opened.close() }
            let runs = try await RunInspector(journal: opened).runs(user: user, status: status, limit: limit)
            if json {
                runs.forEach { JSONLines.print($0) }
                return
            }
            var table = TextTable("RUN", "USER", "THREAD", "STATUS", "AGENTS", "EVENTS", "DURATION", "MODEL", "TOKENS")
            for run in runs {
                table.append([
                    run.runID, run.userID, run.threadID, Terminal.status(run.status) + (run.degraded ? " (degraded)" : ""),
                    run.agents.joined(separator: ","), "\(run.eventCount)", run.durationMs.map { "\($0) ms" } ?? "-",
                    run.models.joined(separator: ",").isEmpty ? "-" : run.models.joined(separator: ","), "\(run.tokens)",
                ])
            }
            print(runs.isEmpty ? "no runs" : table.render())
        }
    }
}
