import ArgumentParser
import Foundation
import Journal

/// `goldenpath export`: events as JSON lines on stdout.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write events as JSON lines to stdout (all, one run's, or one user's).")

    @OptionGroup var journal: JournalOptions
    @Option(help: "Only this run's events.") var run: String?
    @Option(help: "Only this user's events.") var user: String?
    @Option(help: "The output format (jsonl).") var format = "jsonl"

    func validate() throws {
        if run != nil, user != nil { throw ValidationError("give --run or --user, not both") }
        if format != "jsonl" { throw ValidationError("--format supports jsonl only") }
    }

    func run() async throws {
        try await reportingFailures {
            let opened = try await journal.openExisting()
            defer { try? opened.close() }
            let filter: EventFilter = run.map(EventFilter.run) ?? user.map(EventFilter.user) ?? .all
            try await opened.forEachEvent(filter: filter) { event in
                StandardOutput.write(JSONLines.line(for: event) + "\n")
            }
        }
    }
}
