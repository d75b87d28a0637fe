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
        let process = Process()
        process.executableURL = executable
        process.arguments = ["append-loop", "--db", file.path, "--durability", durability.rawValue, "--writers", "4"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()

        // Collect acknowledged sequence numbers (complete lines only) until enough have arrived.
        var acknowledged: [Int64] = []
        var pending = Data()
        let reader = output.fileHandleForReading
        while acknowledged.count < 400 {
            let chunk = reader.availableData
            if chunk.isEmpty { break }  // the child exited
            pending.append(chunk)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[pending.startIndex..<newline]
                pending.removeSubrange(pending.startIndex...newline)
                if let seq = Int64(String(decoding: line, as: UTF8.self)) { acknowledged.append(seq) }
            }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
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
