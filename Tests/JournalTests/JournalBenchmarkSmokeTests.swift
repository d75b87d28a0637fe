import ChildProcessSupport
import Foundation
import GRDB
import Testing

/// `goldenpath bench journal` on a tiny workload (4 users × 2 runs, one planted leak), run as the built binary:
/// every phase runs for both peers, checks its fold and its leak count (the command fails otherwise), and writes
/// the same 200-byte payloads as the other peer.
@Suite struct JournalBenchmarkSmokeTests {
    @Test func benchJournalRunsEveryPhaseForBothPeers() async throws {
        let binary = try #require(Self.goldenpathBinary(), "build the goldenpath product first (swift build)")
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("goldenpath-bench-smoke-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }

        let result = try await ChildProcess.run(
            binary, ["bench", "journal", "--users", "4", "--runs", "2", "--json", "--directory", directory])
        #expect(result.status == 0, "\(result.standardError)")

        let text = result.standardOutput
        let lines = text.split(separator: "\n").map(String.init)
        // goldenpath: 6 phases + 2 at FULL; raw-sqlite: 5 phases (no append_concurrent) + 1 at FULL; minimal-sqlite:
        // 4 phases (no append_concurrent, no leak_query: it has no owners) + 1 at FULL.
        try #require(lines.count == 19, "\(text)")
        #expect(lines[0].hasPrefix(#"{"peer":"goldenpath","phase":"append_tx_per_event","events":96,"seconds":"#))
        let objects = try lines.map { line in
            try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        #expect(objects.filter { $0["peer"] as? String == "goldenpath" }.count == 8)
        #expect(objects.filter { $0["peer"] as? String == "raw-sqlite" }.count == 6)
        #expect(objects.filter { $0["peer"] as? String == "minimal-sqlite" }.count == 5)
        #expect(objects.filter { $0["sync"] as? String == "FULL" }.count == 4)
        #expect(objects.allSatisfy { $0["events"] as? Int == 96 && $0["events_per_s"] is Double })
        let leaks = objects.filter { $0["phase"] as? String == "leak_query" }
        #expect(leaks.count == 2)
        #expect(leaks.allSatisfy { $0["leaks"] as? Int == 1 })
        #expect(objects.filter { ($0["db_bytes"] as? Int ?? 0) > 96 * 200 }.count == 11)

        // Both peers stored the same 96 payloads of 200 bytes, in the same order, one of them leaking.
        func payloads(_ name: String) throws -> [String] {
            let queue = try DatabaseQueue(path: (directory as NSString).appendingPathComponent("\(name).sqlite"))
            defer { try? queue.close() }
            return try queue.read { db in try String.fetchAll(db, sql: "SELECT payload FROM events ORDER BY seq") }
        }
        let journal = try payloads("goldenpath-tx-per-event")
        #expect(journal.count == 96)
        #expect(journal.allSatisfy { $0.utf8.count == 200 })
        #expect(journal == (try payloads("raw-tx-per-event")))
        #expect(journal.filter { $0.contains(#""user_id":"user-000000""#) }.count == 25)
    }

    /// The `goldenpath` executable next to the test bundle, or in the package's `.build/debug`.
    static func goldenpathBinary() -> URL? {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("goldenpath")
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let debug = package.appendingPathComponent(".build/debug/goldenpath")
        return [beside, debug].first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}
