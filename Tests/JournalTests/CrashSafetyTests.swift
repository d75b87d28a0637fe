import ChildProcessSupport
import Foundation
import GRDB
import Journal
import Testing

@Suite("Crash safety")
struct CrashSafetyTests {
    /// The `goldenpath` executable built beside this test bundle.
    static var executable: URL? {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("goldenpath"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("goldenpath"),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug/goldenpath"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    @Test("SIGKILL while appending: every acknowledged event survives, integrity_check is ok, verify passes",
          arguments: [JournalConfiguration.Durability.full, .normal])
    func killedWriter(durability: JournalConfiguration.Durability) async throws {
        let executable = try #require(Self.executable, "build the goldenpath executable first (swift build)")
        let file = try TestJournal()
        defer { file.remove() }
        let child = try await ChildProcess.start(
            executable, ["append-loop", "--db", file.path, "--durability", durability.rawValue, "--writers", "4"])

        // Collect acknowledged sequence numbers (complete lines only) until enough have arrived.
        var acknowledged: [Int64] = []
        for await line in child.lines() {
            if let seq = Int64(line) { acknowledged.append(seq) }
            if acknowledged.count >= 400 { break }
        }
        #expect(try await child.stop(SIGKILL) == .signalled(SIGKILL))
        #expect(acknowledged.count >= 400)

        let journal = try file.open()
        defer { try? journal.close() }
        let present = Set(try await journal.read { db in try Int64.fetchAll(db, sql: "SELECT seq FROM events") })
        let missing = acknowledged.filter { !present.contains($0) }
        #expect(missing.isEmpty, "acknowledged but lost: \(missing.prefix(10))")
        let integrity = try await journal.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == ["ok"])
        let report = try await journal.verify()
        #expect(report.failures.isEmpty, "\(report.failures)")
        // The journal keeps working after the crash.
        let next = try await journal.append(event(id: "after-crash"), to: "after")
        #expect(next.seq == Int64(present.count) + 1)
    }
}
