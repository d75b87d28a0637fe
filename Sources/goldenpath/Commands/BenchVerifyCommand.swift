import ArgumentParser
import Foundation

/// `goldenpath bench verify`: how long `verify` takes on a journal of N events.
struct BenchVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Build a journal of N events (standard-pipeline-shaped runs, their deliveries) and time verify.",
        discussion: """
            Runs of 30 events (the message and its ack, the supervisor and five agents each thinking and calling \
            a tool, the answer) are appended one transaction per run by one appender per user, each frame \
            recorded as delivered to its owner; then the journal is opened anew and `verify` — SQLite's integrity \
            check, sequence, streams, hash chain, projections against a rebuild, cross-user checks — is timed.
            """)

    @Option(help: "Events in the journal (rounded down to whole runs of 30).") var events = 1_000_000
    @Option(help: "Users (concurrent appenders while building).") var users = 100
    @Option(help: "Keep the journal in this directory; default: a temporary directory, removed at the end.")
    var directory: String?
    @Flag(help: "One JSON object.") var json = false

    func validate() throws {
        guard events >= 30, users >= 1 else { throw ValidationError("--events must be at least 30, --users at least 1") }
    }

    func run() async throws {
        try await reportingFailures {
            let report = try await VerifyBenchmark(events: events, users: users, directory: directory).run()
            if json {
                JSONLines.print(report)
            } else {
                print("bench verify: \(report.events) events in \(report.runs) runs, \(report.deliveries) deliveries")
                print(String(format: "build   %.1f s", report.buildSeconds))
                print(
                    String(
                        format: "verify  %.1f s (%.0f events/s), %d failure(s), %d warning(s), %.0f MB", report.verifySeconds,
                        report.eventsPerSecond, report.failures, report.warnings, Double(report.dbBytes) / 1_000_000))
            }
            if report.failures > 0 { throw ExitCode.failure }
        }
    }
}
