import AgentRuntime
import Foundation
import GRDB
import Gateway
import GoldenPathTesting
import Journal
import StandardPipeline
import Synchronization
import Testing

/// The real `goldenpath serve` process killed with SIGKILL while runs are in flight, then started again on the
/// same journal: every run ends, every user's resume delivers what they missed, and the journal verifies.
@Suite("Crash recovery", .serialized, .timeLimit(.minutes(2)))
struct CrashRecoveryTests {
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

    /// A `goldenpath serve` child process and the port it reported.
    final class ServeProcess {
        let process: Process
        let port: Int

        private init(process: Process, port: Int) {
            self.process = process
            self.port = port
        }

        static func start(
            executable: URL, path: String, secret: String, extra: [String] = [], environment extraEnvironment: [String: String] = [:]
        ) async throws -> ServeProcess {
            let process = Process()
            process.executableURL = executable
            process.arguments = ["serve", "--db", path, "--port", "0", "--durability", "normal"] + extra
            var environment = ProcessInfo.processInfo.environment
            environment.merge(extraEnvironment) { _, new in new }
            environment["GOLDENPATH_JWT_SECRET"] = secret
            process.environment = environment
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            let (lines, continuation) = AsyncStream<String>.makeStream()
            let buffer = LineBuffer()
            // Drains the child's stdout for its whole life, so it never blocks on a full pipe.
            output.fileHandleForReading.readabilityHandler = { handle in
                let chunk = handle.availableData
                if chunk.isEmpty {
                    handle.readabilityHandler = nil
                    continuation.finish()
                    return
                }
                let complete = buffer.pending.withLock { pending -> [String] in
                    pending.append(chunk)
                    var found: [String] = []
                    while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                        found.append(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                        pending.removeSubrange(pending.startIndex...newline)
                    }
                    return found
                }
                complete.forEach { continuation.yield($0) }
            }
            try process.run()
            for await line in lines {
                // "goldenpath: serving http://127.0.0.1:PORT (journal …); Ctrl-C stops"
                guard let range = line.range(of: "serving http://127.0.0.1:") else { continue }
                let digits = line[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits) { return ServeProcess(process: process, port: port) }
            }
            throw LiveServerError(description: "goldenpath serve exited without serving")
        }

        func kill(_ signal: Int32) {
            Foundation.kill(process.processIdentifier, signal)
            process.waitUntilExit()
        }
    }

    /// The child's output not yet split into lines.
    final class LineBuffer: Sendable {
        let pending = Mutex(Data())
    }

    /// Runs `goldenpath` with arguments and returns its exit status and output.
    static func runCommand(_ executable: URL, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(
        "SIGKILL with runs in flight, restart on the same journal: every run ends, resume delivers, verify passes",
        arguments: [RecoveryPolicy.resume, .interrupt])
    func killedServer(policy: RecoveryPolicy) async throws {
        let executable = try #require(Self.executable, "build the goldenpath executable first (swift build)")
        let directory = try RecoveryDirectory()
        defer { directory.remove() }
        let secret = "crash-secret-\(UUID().uuidString)"
        let tokens = try await TokenService(secret: secret)
        let users = ["crash-ann", "crash-bob", "crash-cyd"]
        var issued: [String: String] = [:]
        for user in users { issued[user] = try await tokens.issue(userID: user).token }

        let first = try await ServeProcess.start(
            executable: executable, path: directory.journalPath, secret: secret,
            extra: ["--scripted-delay-ms", "60000"])
        var runsByUser: [String: [String]] = [:]
        var lastSeen: [String: Int64] = [:]
        var clients: [TestWebSocketClient] = []
        for user in users {
            let client = try await TestWebSocketClient.connect(port: first.port, token: issued[user])
            try await client.awaitFrame("connection_established") { $0.type == "connection_established" }
            for content in [RecoveryMessages.sufficient, RecoveryMessages.insufficient] {
                runsByUser[user, default: []].append(try await sendMessage(client, content: content))
            }
            clients.append(client)
        }
        // Every run is mid-flight: inside the reporting agent's (slow) LLM call.
        for (index, user) in users.enumerated() {
            for runID in runsByUser[user] ?? [] {
                try await clients[index].awaitFrame("run \(runID) reporting") {
                    $0.runID == runID && $0.type == "tool_executing" && $0.toolName == "llm_report_generation"
                }
            }
            lastSeen[user] = clients[index].frames.compactMap(\.seq).max() ?? 0
        }
        first.kill(SIGKILL)
        #expect(first.process.terminationReason == .uncaughtSignal)
        for client in clients { try? await client.close() }

        let second = try await ServeProcess.start(
            executable: executable, path: directory.journalPath, secret: secret,
            extra: ["--recovery", policy.rawValue])
        for user in users {
            let client = try await TestWebSocketClient.connect(port: second.port, token: issued[user])
            try await client.awaitFrame("connection_established") { $0.type == "connection_established" }
            try await client.send(["type": "resume", "after_seq": Int(lastSeen[user] ?? 0)])
            for runID in runsByUser[user] ?? [] {
                _ = try await client.awaitRunEnd(runID: runID)
                let ends = terminalFrames(client.frames, runID: runID)
                #expect(ends.count == 1, "\(user) \(runID)")
                switch policy {
                case .resume:
                    #expect(ends.first?.type == "run_completed", "\(user) \(runID)")
                case .interrupt:
                    #expect(ends.first?.type == "run_failed")
                    #expect(ends.first?["error_code"]?.stringValue == "INTERRUPTED")
                }
            }
            #expect(client.frames.allSatisfy { $0.userID == nil || $0.userID == user }, "a frame of another user")
            let seqs = client.frames.compactMap(\.seq)
            #expect(seqs.allSatisfy { $0 > lastSeen[user] ?? 0 })
            #expect(Set(seqs).count == seqs.count, "a frame delivered twice")
            try await client.close()
        }
        // SIGTERM drains: the server stops cleanly.
        second.kill(SIGTERM)
        #expect(second.process.terminationReason == .exit)
        #expect(second.process.terminationStatus == 0)

        let (status, output) = try Self.runCommand(executable, ["verify", "--db", directory.journalPath])
        #expect(status == 0, "verify: \(output)")
        let journal = try GoldenPathJournal.open(path: directory.journalPath, durability: .normal)
        defer { try? journal.close() }
        try await expectJournalSound(journal)
        let open = try await count(
            journal,
            "SELECT COUNT(*) FROM (SELECT run_id FROM events WHERE run_id IS NOT NULL GROUP BY run_id "
                + "HAVING SUM(type IN ('run_completed','run_failed','run_cancelled')) != 1)")
        #expect(open == 0, "runs without exactly one terminal event")
        #expect(try await count(journal, "SELECT COUNT(*) FROM events WHERE type = 'run_recovery'") == 6)
        if policy == .resume {
            // No step was done twice: one tool_completed per tool_executing, one LLM answer per request, and each
            // resumed run re-executes to the same events (replay --verify, which leaves run_recovery aside).
            #expect(
                try await count(journal, "SELECT COUNT(*) FROM events WHERE type = 'tool_executing'")
                    == (try await count(journal, "SELECT COUNT(*) FROM events WHERE type = 'tool_completed'")))
            #expect(
                try await count(journal, "SELECT COUNT(*) FROM events WHERE type = 'llm_request'")
                    == (try await count(
                        journal, "SELECT COUNT(*) FROM events WHERE type IN ('llm_response','llm_failed')")))
            for runID in runsByUser.values.flatMap({ $0 }) {
                let (status, output) = try Self.runCommand(
                    executable, ["replay", runID, "--verify", "--db", directory.journalPath])
                #expect(status == 0, "replay --verify \(runID): \(output)")
            }
        }
    }
}
