import AgentRuntime
import AsyncHTTPClient
import Foundation
import GRDB
import Gateway
import GoldenPathClient
import Journal

/// `bench load`: an in-process server on a fresh journal, N users each sending M messages one after another over
/// their own WebSocket, all users at once; latency percentiles, throughput, leaks and lost frames.
struct LoadBenchmark {
    /// The figures of one load run.
    struct Report: Encodable, Sendable {
        var peer = "goldenpath"
        var phase = "load"
        var durability: String
        var users: Int
        var messages: Int
        var completed: Int
        var seconds: Double
        var runsPerSecond: Double
        var ackP50Ms: Double
        var ackP99Ms: Double
        var runP50Ms: Double
        var runP99Ms: Double
        var leaks: Int
        var lostFrames: Int

        enum CodingKeys: String, CodingKey {
            case peer, phase, durability, users, messages, completed, seconds, leaks
            case runsPerSecond = "runs_per_s", ackP50Ms = "ack_p50_ms", ackP99Ms = "ack_p99_ms"
            case runP50Ms = "run_p50_ms", runP99Ms = "run_p99_ms", lostFrames = "lost_frames"
        }
    }

    let users: Int
    let messagesPerUser: Int
    let durability: JournalConfiguration.Durability

    func run() async throws -> Report {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("goldenpath-load-\(UUID().uuidString.lowercased())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("load.sqlite").path
        let (users, messagesPerUser, durability) = (self.users, self.messagesPerUser, self.durability)
        return try await withInProcessServer(
            journalPath: path, durability: durability, bcryptCost: 4,
            limits: { limits in
                limits.messagesPerMinute = max(limits.messagesPerMinute, messagesPerUser + 1)
            }
        ) { port, server in
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            let client = ChatClient(baseURL: "http://127.0.0.1:\(port)", http: http)
            var sessions: [ChatClient.Session] = []
            do {
                for index in 0..<users {
                    sessions.append(
                        try await client.signUpOrLogIn(
                            username: "load-\(index)", password: "load-password-\(index)"))
                }
                try await http.shutdown()
            } catch {
                try? await http.shutdown()
                throw error
            }
            let signedIn = sessions
            let start = ContinuousClock.now
            let results = try await withThrowingTaskGroup(of: LoadUserResult.self) { group in
                for (index, session) in signedIn.enumerated() {
                    let messages = (0..<messagesPerUser).map { number in
                        "\(DemoScript.messages[(index + number) % DemoScript.messages.count]) (load \(index)-\(number))"
                    }
                    group.addTask { try await LoadUser(port: port, session: session, messages: messages).run() }
                }
                var results: [LoadUserResult] = []
                for try await result in group { results.append(result) }
                return results
            }
            let seconds = (ContinuousClock.now - start).milliseconds / 1_000
            return try await Self.report(
                results, journal: server.journal, seconds: seconds, users: users, durability: durability,
                expected: users * messagesPerUser)
        }
    }

    private static func report(
        _ results: [LoadUserResult], journal: EventJournal, seconds: Double, users: Int,
        durability: JournalConfiguration.Durability, expected: Int
    ) async throws -> Report {
        let messages = results.flatMap(\.messages)
        let frameTypes = Array(AgentEvent.frameTypes)
        var lost = 0
        for message in messages {
            let journaled = try await journal.read { db in
                try Int64.fetchAll(
                    db,
                    sql:
                        "SELECT seq FROM events WHERE run_id = ? AND type IN (\(frameTypes.map { _ in "?" }.joined(separator: ",")))",
                    arguments: StatementArguments([message.runID] + frameTypes))
            }
            lost += Set(journaled).subtracting(message.frameSeqs).count
        }
        let crossUser = try await journal.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cross_user_deliveries") ?? 0)
                + (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cross_user_events") ?? 0)
        }
        let acks = messages.map(\.ackMs).sorted()
        let runs = messages.map(\.runMs).sorted()
        return Report(
            durability: durability.rawValue, users: users, messages: expected,
            completed: messages.filter { $0.terminal == .runCompleted }.count, seconds: seconds,
            runsPerSecond: Double(messages.count) / max(seconds, 1e-9), ackP50Ms: percentile(acks, 0.50),
            ackP99Ms: percentile(acks, 0.99), runP50Ms: percentile(runs, 0.50), runP99Ms: percentile(runs, 0.99),
            leaks: crossUser + results.map(\.foreignFrames).reduce(0, +), lostFrames: lost + (expected - messages.count)
        )
    }

    /// The nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p * Double(sorted.count)).rounded(.up)) - 1
        return (sorted[min(max(rank, 0), sorted.count - 1)] * 100).rounded() / 100
    }
}
