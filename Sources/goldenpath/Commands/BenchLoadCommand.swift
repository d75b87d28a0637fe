import ArgumentParser
import Foundation
import Journal

/// `goldenpath bench load`: end-to-end load over real WebSockets against an in-process server.
struct BenchLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "End-to-end load over real WebSockets: ack and run latency percentiles, throughput, leaks, losses.",
        discussion: """
            N users each send M messages one after another on their own connection, all users at once, against \
            an in-process server on a fresh temporary journal with the scripted LLM. Runs once per durability \
            (full and normal) unless --durability is given. Build with -c release for figures worth reporting.
            """)

    @Option(help: "Concurrent users.") var users = 20
    @Option(help: "Messages per user, sent one after another.") var messages = 10
    @Option(help: "full or normal (default: both, one after the other).")
    var durability: JournalConfiguration.Durability?
    @Flag(help: "One JSON object per line.") var json = false

    func validate() throws {
        guard users >= 1, messages >= 1 else { throw ValidationError("--users and --messages must be at least 1") }
    }

    func run() async throws {
        var failed = false
        try await reportingFailures {
            var table = TextTable(
                "DURABILITY", "MESSAGES", "COMPLETED", "RUNS/S", "ACK P50", "ACK P99", "RUN P50", "RUN P99", "LEAKS",
                "LOST")
            for mode in durability.map({ [$0] }) ?? [.full, .normal] {
                let report = try await LoadBenchmark(users: users, messagesPerUser: messages, durability: mode).run()
                failed = failed || report.leaks > 0 || report.lostFrames > 0 || report.completed < report.messages
                if json {
                    JSONLines.print(report)
                } else {
                    table.append([
                        report.durability, "\(report.messages)", "\(report.completed)",
                        String(format: "%.1f", report.runsPerSecond), ms(report.ackP50Ms), ms(report.ackP99Ms),
                        ms(report.runP50Ms), ms(report.runP99Ms), "\(report.leaks)", "\(report.lostFrames)",
                    ])
                }
            }
            if !json {
                print("bench load: \(users) users × \(messages) messages, scripted LLM, real WebSockets")
                print(table.render())
            }
        }
        if failed { throw ExitCode.failure }
    }

    private func ms(_ value: Double) -> String { String(format: "%.1f ms", value) }
}
