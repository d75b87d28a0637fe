import AgentRuntime
import AsyncHTTPClient
import Foundation
import GRDB
import Gateway
import GoldenPathClient
import Journal

/// `bench load`: an in-process server on a fresh journal, N users each sending M messages one after another over
/// their own WebSocket, all users at once; latency percentiles, throughput, leaks and lost frames; events and
/// journal bytes per run; with ``Streaming``, the time from the model's first piece to the first delta frame.
struct LoadBenchmark {
    /// How the scripted model streams and how the runtime journals it.
    struct Streaming: Sendable {
        /// Words per piece the model sends.
        var wordsPerChunk: Int
        /// The wait before each piece after the first.
        var pace: Duration
        /// ``AgentsConfiguration/deltaWindow``.
        var window: Duration
    }

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
        /// The journal events of the runs (every event with a `run_id`), per run.
        var eventsPerRun: Double
        /// Their `agent_response_delta` events, per run.
        var deltasPerRun: Double
        /// `SUM(length(payload))` of the runs' events, per run.
        var payloadBytesPerRun: Double
        /// How much the journal file's used pages grew during the load (events, deliveries, projections and their
        /// indexes: `(page_count - freelist_count) * page_size` after minus before), per run.
        var journalBytesPerRun: Double
        /// With streaming: the words per piece, the pace and the delta window.
        var streamWords: Int?
        var streamPaceMs: Int?
        var deltaWindowMs: Int?
        /// With streaming: from the model's first piece of a run's answer to its first delta frame at the client.
        var firstDeltaP50Ms: Double?
        var firstDeltaP99Ms: Double?
        var firstDeltaMaxMs: Double?
        /// How many runs gave a first-delta time.
        var firstDeltaSamples: Int?

        enum CodingKeys: String, CodingKey {
            case peer, phase, durability, users, messages, completed, seconds, leaks
            case runsPerSecond = "runs_per_s", ackP50Ms = "ack_p50_ms", ackP99Ms = "ack_p99_ms"
            case runP50Ms = "run_p50_ms", runP99Ms = "run_p99_ms", lostFrames = "lost_frames"
            case eventsPerRun = "events_per_run", deltasPerRun = "deltas_per_run"
            case payloadBytesPerRun = "payload_bytes_per_run", journalBytesPerRun = "journal_bytes_per_run"
            case streamWords = "stream_words", streamPaceMs = "stream_pace_ms", deltaWindowMs = "delta_window_ms"
            case firstDeltaP50Ms = "first_delta_p50_ms", firstDeltaP99Ms = "first_delta_p99_ms"
            case firstDeltaMaxMs = "first_delta_max_ms", firstDeltaSamples = "first_delta_samples"
        }
    }

    let users: Int
    let messagesPerUser: Int
    let durability: JournalConfiguration.Durability
    /// Nil: the scripted model answers in one piece.
    var streaming: Streaming?

    func run() async throws -> Report {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("goldenpath-load-\(UUID().uuidString.lowercased())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("load.sqlite").path
        let (users, messagesPerUser, durability, streaming) = (
            self.users, self.messagesPerUser, self.durability, self.streaming
        )
        let recorder = streaming.map {
            FirstPieceRecorder(streaming: ScriptedLLM.Streaming(wordsPerChunk: $0.wordsPerChunk, pace: $0.pace))
        }
        var agents = AgentsConfiguration()
        if let streaming { agents.deltaWindow = streaming.window }
        return try await withInProcessServer(
            journalPath: path, durability: durability, bcryptCost: 4,
            limits: { limits in
                limits.messagesPerMinute = max(limits.messagesPerMinute, messagesPerUser + 1)
            }, llm: recorder, agents: agents
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
            let bytesBefore = try await Self.usedBytes(server.journal)
            let start = ContinuousClock.now
            let results = try await withThrowingTaskGroup(of: LoadUserResult.self) { group in
                for (index, session) in signedIn.enumerated() {
                    let messages = (0..<messagesPerUser).map { number in
                        let tag = FirstPieceRecorder.tag(user: index, number: number)
                        return LoadUser.Message(
                            content: "\(DemoScript.messages[(index + number) % DemoScript.messages.count]) (\(tag))",
                            tag: tag)
                    }
                    group.addTask { try await LoadUser(port: port, session: session, messages: messages).run() }
                }
                var results: [LoadUserResult] = []
                for try await result in group { results.append(result) }
                return results
            }
            let seconds = (ContinuousClock.now - start).milliseconds / 1_000
            let journalGrowth = try await Self.usedBytes(server.journal) - bytesBefore
            var report = try await Self.report(
                results, journal: server.journal, seconds: seconds, users: users, durability: durability,
                expected: users * messagesPerUser, journalGrowth: journalGrowth)
            if let streaming, let recorder {
                report.apply(streaming: streaming, firstDeltas: Self.firstDeltaTimes(results, recorder: recorder))
            }
            return report
        }
    }

    /// Per run, in milliseconds: from the model's first piece (``FirstPieceRecorder``) to the first delta frame
    /// the load user read.
    private static func firstDeltaTimes(_ results: [LoadUserResult], recorder: FirstPieceRecorder) -> [Double] {
        results.flatMap(\.messages).compactMap { message in
            guard let received = message.firstDeltaAt, let sent = recorder.firstPiece(tag: message.tag) else {
                return nil
            }
            return (received - sent).milliseconds
        }.sorted()
    }

    /// The bytes of the journal's used pages.
    private static func usedBytes(_ journal: EventJournal) async throws -> Int {
        try await journal.read { db in
            try Int.fetchOne(
                db,
                sql: "SELECT (p.page_count - f.freelist_count) * s.page_size "
                    + "FROM pragma_page_count() p, pragma_freelist_count() f, pragma_page_size() s") ?? 0
        }
    }

    private static func report(
        _ results: [LoadUserResult], journal: EventJournal, seconds: Double, users: Int,
        durability: JournalConfiguration.Durability, expected: Int, journalGrowth: Int
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
        let (events, deltas, payloadBytes) = try await journal.read { db in
            let row = try Row.fetchOne(
                db,
                sql: "SELECT COUNT(*), COALESCE(SUM(type = 'agent_response_delta'), 0), "
                    + "COALESCE(SUM(length(payload)), 0) FROM events WHERE run_id IS NOT NULL")
            return (row?[0] ?? 0, row?[1] ?? 0, row?[2] ?? 0) as (Int, Int, Int)
        }
        let runCount = Double(max(messages.count, 1))
        let acks = messages.map(\.ackMs).sorted()
        let runs = messages.map(\.runMs).sorted()
        return Report(
            durability: durability.rawValue, users: users, messages: expected,
            completed: messages.filter { $0.terminal == .runCompleted }.count, seconds: seconds,
            runsPerSecond: Double(messages.count) / max(seconds, 1e-9), ackP50Ms: percentile(acks, 0.50),
            ackP99Ms: percentile(acks, 0.99), runP50Ms: percentile(runs, 0.50), runP99Ms: percentile(runs, 0.99),
            leaks: crossUser + results.map(\.foreignFrames).reduce(0, +),
            lostFrames: lost + (expected - messages.count),
            eventsPerRun: Double(events) / runCount, deltasPerRun: Double(deltas) / runCount,
            payloadBytesPerRun: Double(payloadBytes) / runCount,
            journalBytesPerRun: Double(journalGrowth) / runCount
        )
    }

    /// The nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p * Double(sorted.count)).rounded(.up)) - 1
        return (sorted[min(max(rank, 0), sorted.count - 1)] * 100).rounded() / 100
    }
}

extension LoadBenchmark.Report {
    /// Fills in the streaming settings and the first-delta percentiles (`firstDeltas` sorted, in milliseconds).
    mutating func apply(streaming: LoadBenchmark.Streaming, firstDeltas: [Double]) {
        streamWords = streaming.wordsPerChunk
        streamPaceMs = Int(streaming.pace.milliseconds)
        deltaWindowMs = Int(streaming.window.milliseconds)
        firstDeltaP50Ms = LoadBenchmark.percentile(firstDeltas, 0.50)
        firstDeltaP99Ms = LoadBenchmark.percentile(firstDeltas, 0.99)
        firstDeltaMaxMs = LoadBenchmark.percentile(firstDeltas, 1.0)
        firstDeltaSamples = firstDeltas.count
    }
}
