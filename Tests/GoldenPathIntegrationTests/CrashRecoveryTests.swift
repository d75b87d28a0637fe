import AgentRuntime
import ChildProcessSupport
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
@Suite("Crash recovery", .serialized, .timeLimit(.minutes(5)))
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
    final class ServeProcess: Sendable {
        let child: ChildProcess
        let port: Int

        private init(child: ChildProcess, port: Int) {
            self.child = child
            self.port = port
        }

        static func start(
            executable: URL, path: String, secret: String, extra: [String] = [], environment extraEnvironment: [String: String] = [:]
        ) async throws -> ServeProcess {
            try await start(
                executable: executable, journal: ["--db", path], secret: secret, extra: extra,
                environment: extraEnvironment)
        }

        /// Starts `goldenpath serve` on the journal the `journal` arguments name (`--db PATH` or
        /// `--database-url URL`).
        static func start(
            executable: URL, journal: [String], secret: String, extra: [String] = [],
            environment extraEnvironment: [String: String] = [:]
        ) async throws -> ServeProcess {
            var environment = extraEnvironment
            environment["GOLDENPATH_JWT_SECRET"] = secret
            let child = try await ChildProcess.start(
                executable, ["serve"] + journal + ["--port", "0", "--durability", "normal"] + extra,
                environment: environment)
            for await line in child.lines() {
                // "goldenpath: serving http://127.0.0.1:PORT (journal …); Ctrl-C stops"
                guard let range = line.range(of: "serving http://127.0.0.1:") else { continue }
                let digits = line[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits) { return ServeProcess(child: child, port: port) }
            }
            throw LiveServerError(description: "goldenpath serve exited without serving")
        }

        /// Sends `signal` and waits for the exit.
        @discardableResult
        func kill(_ signal: Int32) async throws -> ChildProcess.Termination {
            try await child.stop(signal, grace: .seconds(60))
        }
    }

    /// Runs `goldenpath` with arguments and returns its exit status and output (stdout and stderr).
    static func runCommand(_ executable: URL, _ arguments: [String]) async throws -> (Int32, String) {
        let result = try await ChildProcess.run(executable, arguments, mergingErrors: true)
        return (result.status, result.standardOutput)
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
        #expect(try await first.kill(SIGKILL) == .signalled(SIGKILL))
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
        #expect(try await second.kill(SIGTERM) == .exited(0))

        let (status, output) = try await Self.runCommand(executable, ["verify", "--db", directory.journalPath])
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
                let (status, output) = try await Self.runCommand(
                    executable, ["replay", runID, "--verify", "--db", directory.journalPath])
                #expect(status == 0, "replay --verify \(runID): \(output)")
            }
        }
    }
}
