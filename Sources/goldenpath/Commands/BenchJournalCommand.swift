import ArgumentParser
import Foundation
import JournalBenchmarks

/// `goldenpath bench journal`: the standard journal workload (docs/BENCHMARKS.md), run by the journal and by the
/// same work on SQLite's C API in the same process, one line per phase and the ratios the project targets.
struct BenchJournalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "Run the standard journal workload against the journal and raw SQLite.",
        discussion: """
            Appends N users × M runs × 12 events (200-byte JSON payloads) one transaction per event, one per run and \
            from N concurrent appenders, then replays, reads per stream and counts planted leaks; per-event and \
            concurrent appends run again at synchronous=FULL. Use a release build: \
            swift build -c release && .build/release/goldenpath bench journal
            """)

    @Option(help: "Number of users (and of concurrent appenders).")
    var users = 100

    @Option(help: "Number of runs per user (12 events each).")
    var runs = 20

    @Flag(help: "Print one JSON line per phase instead of a table.")
    var json = false

    @Option(help: "Directory for the databases (kept); default: a temporary directory, removed at the end.")
    var directory: String?

    @Option(
        name: .customLong("database-url"),
        help: "Also run the journal's phases on this PostgreSQL database (postgres://USER@HOST:PORT/DB), a schema each.")
    var databaseURL: String?

    func validate() throws {
        guard (1...999_999).contains(users) else { throw ValidationError("--users must be between 1 and 999999") }
        guard (1...999_999).contains(runs) else { throw ValidationError("--runs must be between 1 and 999999") }
    }

    func run() async throws {
        var configuration = JournalBenchmarkConfiguration(users: users, runsPerUser: runs)
        configuration.directory = directory
        configuration.keepDatabases = directory != nil
        configuration.databaseURL = databaseURL
        let json = json
        let lines = try await JournalBenchmark(configuration: configuration).run { line in
            if json {
                StandardOutput.write(line.jsonLine + "\n")
            } else {
                let rate = Self.format(line.eventsPerSecond, decimals: 0)
                let sync = line.sync.map { " \($0.rawValue)" } ?? ""
                FileHandle.standardError.write(
                    Data("  \(line.peer.rawValue) \(line.phase.rawValue)\(sync): \(rate) events/s\n".utf8))
            }
        }
        guard !json else { return }
        print(Self.table(lines))
        print("")
        print(Self.ratios(BenchmarkSummary(lines: lines)))
    }

    // MARK: - Table

    private static func table(_ lines: [BenchmarkLine]) -> String {
        let header = ["peer", "phase", "sync", "events", "seconds", "events/s", "db MB", "leaks"]
        let rows = lines.map { line in
            [
                line.peer.rawValue, line.phase.rawValue, line.sync?.rawValue ?? "", String(line.events),
                format(line.seconds, decimals: 3), format(line.eventsPerSecond, decimals: 0),
                line.dbBytes.map { format(Double($0) / 1_048_576, decimals: 1) } ?? "",
                line.leaks.map(String.init) ?? "",
            ]
        }
        return aligned([header] + rows, rightAligned: [3, 4, 5, 6, 7])
    }

    private static func ratios(_ summary: BenchmarkSummary) -> String {
        let header = ["goldenpath / peer (events/s)", "ratio", "target", ""]
        let rows = summary.comparisons.map { comparison in
            [
                comparison.label, comparison.ratio.map { format($0, decimals: 2) + "×" } ?? "n/a",
                comparison.target.map { "≥ " + format($0, decimals: 1) + "×" } ?? "",
                comparison.target == nil ? "" : (comparison.isMet ? "ok" : "MISSED"),
            ]
        }
        return aligned([header] + rows, rightAligned: [1, 2])
    }

    private static func aligned(_ rows: [[String]], rightAligned: Set<Int>) -> String {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? padding + cell : cell + padding
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }

    private static func format(_ value: Double, decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }
}
