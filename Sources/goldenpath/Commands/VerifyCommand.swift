import ArgumentParser
import Foundation
import Gateway
import Journal

/// `goldenpath verify`: checks the whole journal and exits 1 with a report when anything is wrong.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the journal: sequence, streams, hash chain, projections, cross-user isolation.",
        discussion: """
            Exit 0 when every check passes, 1 with a report naming each bad event by seq. Runs without a terminal \
            event are listed as warnings (failures with --strict).
            """)

    @OptionGroup var journal: JournalOptions

    @Flag(help: "Recreate the projection tables from the events before checking.")
    var rebuild = false

    @Flag(help: "Fail on warnings too (runs with no terminal event).")
    var strict = false

    @Flag(help: "One JSON object per line.")
    var json = false

    func run() async throws {
        var passed = true
        try await reportingFailures {
            let opened = try await journal.openExisting()
            defer { try? opened.close() }
            let report = try await opened.verify(rebuildFirst: rebuild)
            passed = report.passes(strict: strict)
            // SQLite's own check has no PostgreSQL counterpart a client can run; say that it was left out.
            let skipped = report.checks.contains("sqlite") ? [] : ["sqlite"]
            if json {
                for problem in report.problems {
                    printJSON([
                        "check": problem.check, "seq": problem.seq.map { Int($0) } as Any,
                        "severity": problem.severity.rawValue, "message": problem.message,
                    ])
                }
                printJSON([
                    "ok": passed, "events": Int(report.eventCount), "head_seq": Int(report.headSeq),
                    "failures": report.failures.count, "warnings": report.warnings.count, "checks": report.checks,
                    "skipped": skipped,
                ])
            } else {
                print("journal  \(opened.path)")
                print("events   \(report.eventCount) (head seq \(report.headSeq))")
                print("checks   \(report.checks.joined(separator: ", "))")
                if !skipped.isEmpty {
                    print("skipped  sqlite (PRAGMA integrity_check is SQLite's own; PostgreSQL has no check a client runs)")
                }
                for problem in report.failures { print("FAIL     \(problem)") }
                for problem in report.warnings { print("WARN     \(problem)") }
                print(passed ? "verify: ok" : "verify: FAILED (\(report.failures.count) failure(s), \(report.warnings.count) warning(s))")
            }
        }
        if !passed { throw ExitCode.failure }
    }
}

/// Prints one JSON object as a line on stdout.
func printJSON(_ object: [String: Any]) {
    let cleaned = object.mapValues { value -> Any in
        if case Optional<Any>.none = value as Any? { return NSNull() }
        return value
    }
    if let data = try? JSONSerialization.data(withJSONObject: cleaned, options: [.sortedKeys]),
       let line = String(data: data, encoding: .utf8) {
        print(line)
    }
}
