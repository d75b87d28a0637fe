import AgentRuntime
import ArgumentParser
import Foundation
import Journal

/// `goldenpath show RUN_ID`: a run's timeline, with who received which frame.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "A run's timeline: every event with its offset, agent, tool and deliveries.")

    @OptionGroup var journal: JournalOptions
    @Argument(help: "The run id.") var runID: String
    @Flag(help: "One JSON object per line.") var json = false
    @Flag(help: "Each agent_response_delta on its own line (default: one line per streamed response).")
    var deltas = false

    func run() async throws {
        try await reportingFailures {
            let opened = try await journal.openExisting()
            defer { try? opened.close() }
            guard let timeline = try await RunInspector(journal: opened).timeline(runID: runID, foldingDeltas: !deltas) else {
                throw ValidationError("no run \(runID) in \(opened.path)")
            }
            if json {
                timeline.forEach { JSONLines.print($0) }
                return
            }
            var table = TextTable("SEQ", "+MS", "TYPE", "AGENT", "TOOL", "DETAIL", "SENT TO")
            for entry in timeline {
                let sentTo = entry.deliveries.map { "\($0.recipientUserID)/\($0.connectionID.prefix(8))" }
                table.append([
                    "\(entry.seq)", "\(entry.offsetMs)", entry.type, entry.agentName ?? "", entry.toolName ?? "",
                    entry.detail ?? "", sentTo.isEmpty ? Terminal.dim("-") : sentTo.joined(separator: " "),
                ])
            }
            print(table.render())
        }
    }
}
