import ArgumentParser
import Foundation

/// `goldenpath bench login`: does a login flood stall other users' sockets?
struct BenchLoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "A wrong-password login flood from many addresses while one user pings over /ws.",
        discussion: """
            Starts `goldenpath serve` as a child process (bcrypt cost 12), connects one user, measures its ping \
            round trip for 2 s, then again while N attackers — each bound to its own loopback address, each \
            attempt for a new unknown user name, so that no throttle fires and every attempt costs a hash — \
            flood /auth/login; then six wrong logins for one name from one address (the sixth must be 429).
            """)

    @Option(help: "Concurrent attackers, each from its own 127.0.x.y address.") var attackers = 40
    @Option(help: "How long the flood lasts, in seconds.") var seconds = 5
    @Flag(help: "One JSON object.") var json = false

    func validate() throws {
        guard (1...10_000).contains(attackers), seconds >= 1 else {
            throw ValidationError("--attackers must be 1...10000 and --seconds at least 1")
        }
    }

    func run() async throws {
        try await reportingFailures {
            let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
            let report = try await LoginFloodBenchmark(
                executable: executable, attackers: attackers, duration: .seconds(seconds)
            ).run()
            if json {
                JSONLines.print(report)
            } else {
                print("bench login: \(attackers) attackers × \(seconds) s, bcrypt cost 12, one user pinging over /ws")
                print(
                    String(
                        format: "ping before: p50 %.1f ms, p99 %.1f ms (%d pings)", report.pingBeforeP50Ms,
                        report.pingBeforeP99Ms, report.pingsBefore))
                print(
                    String(
                        format: "ping during: p50 %.1f ms, p99 %.1f ms (%d pings)", report.pingDuringP50Ms,
                        report.pingDuringP99Ms, report.pingsDuring))
                print("logins answered: \(report.loginsAnswered) (429: \(report.loginsRateLimited))")
                print("one name, one address: \(report.oneNameOneAddress.map(String.init).joined(separator: " "))")
            }
        }
    }
}
