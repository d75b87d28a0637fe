import AgentRuntime
import Foundation
import Gateway
import Journal
import JournalBenchmarks

/// `bench verify`: builds a GoldenPath journal of N events — runs shaped like the standard pipeline's (30 events:
/// the message and its ack, the supervisor and five agents each thinking and calling a tool, the answer), each
/// frame delivered to its owner — and times `verify` over it.
struct VerifyBenchmark {
    /// The figures.
    struct Report: Encodable, Sendable {
        var peer = "goldenpath"
        var phase = "verify"
        var events: Int64
        var runs: Int
        var deliveries: Int
        var buildSeconds: Double
        var verifySeconds: Double
        var eventsPerSecond: Double
        var dbBytes: Int64
        var failures: Int
        var warnings: Int

        enum CodingKeys: String, CodingKey {
            case peer, phase, events, runs, deliveries, failures, warnings
            case buildSeconds = "build_seconds", verifySeconds = "verify_seconds"
            case eventsPerSecond = "events_per_s", dbBytes = "db_bytes"
        }
    }

    static let eventsPerRun = 30
    static let agents = ["triage", "data_helper", "optimization", "actions", "reporting"]

    let events: Int
    let users: Int
    /// Keep the journal here; nil: a temporary directory, removed at the end.
    let directory: String?

    func run() async throws -> Report {
        let base =
            directory.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("goldenpath-verify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(at: base) } }
        let path = base.appendingPathComponent("journal.sqlite").path

        let runs = max(1, events / Self.eventsPerRun)
        let buildStart = ContinuousClock.now
        let journal = try GoldenPathJournal.open(path: path, durability: .normal)
        let deliveries = try await build(runs: runs, in: journal)
        try journal.close()
        let buildSeconds = (ContinuousClock.now - buildStart).milliseconds / 1_000

        // A new process would open the file anew: so does the timed verify.
        let reopened = try GoldenPathJournal.open(path: path, durability: .normal)
        defer { try? reopened.close() }
        let verifyStart = ContinuousClock.now
        let report = try await reopened.verify()
        let verifySeconds = (ContinuousClock.now - verifyStart).milliseconds / 1_000
        return Report(
            events: report.eventCount, runs: runs, deliveries: deliveries, buildSeconds: buildSeconds,
            verifySeconds: verifySeconds, eventsPerSecond: Double(report.eventCount) / verifySeconds,
            dbBytes: BenchmarkFiles.databaseBytes(at: path), failures: report.failures.count, warnings: report.warnings.count)
    }

    /// Appends the runs, one transaction per run, from one appender per user; returns the deliveries recorded.
    private func build(runs: Int, in journal: EventJournal) async throws -> Int {
        let users = max(1, min(users, runs))
        return try await withThrowingTaskGroup(of: Int.self) { group in
            for user in 0..<users {
                group.addTask {
                    let userID = "user-\(user)"
                    let connectionID = "connection-\(user)"
                    _ = try await journal.append(
                        [
                            try AgentEvent.connectionOpened(ConnectionOpened(connectionID: connectionID)).newEvent(
                                EventMetadata(eventID: UUID().uuidString, userID: userID, connectionID: connectionID))
                        ], to: EventStreams.connection(connectionID))
                    var delivered = 0
                    for run in stride(from: user, to: runs, by: users) {
                        let recorded = try await journal.append(
                            try Self.run(run, userID: userID), to: EventStreams.run("run-\(run)"))
                        let frames = recorded.events.dropFirst().map { event in
                            Delivery(
                                seq: event.seq, connectionID: connectionID, recipientUserID: userID,
                                frameType: event.type)
                        }
                        try await journal.recordDeliveries(frames)
                        delivered += frames.count
                    }
                    return delivered
                }
            }
            return try await group.reduce(0, +)
        }
    }

    /// One run's 30 events.
    private static func run(_ index: Int, userID: String) throws -> [NewEvent] {
        let runID = "run-\(index)"
        let threadID = "thread-\(index)"
        var events: [AgentEvent] = [
            .userMessage(
                UserMessage(
                    content: "Our cloud bill went from $12,000 to $18,500 a month after we doubled traffic to 40k rps; "
                        + "where should we cut?", clientMessageID: "m-\(index)", threadID: threadID, runID: runID)),
            .messageReceived(MessageReceived(clientMessageID: "m-\(index)", threadID: threadID, runID: runID)),
            .agentStarted(AgentStarted(agentName: "supervisor", taskDescription: "answer the request", instanceID: "\(runID)-0")),
        ]
        for (position, agent) in agents.enumerated() {
            let executionID = "\(runID)-tool-\(position)"
            events += [
                .agentStarted(AgentStarted(agentName: agent, taskDescription: "the \(agent) step", instanceID: "\(runID)-\(position + 1)")),
                .agentThinking(AgentThinking(agentName: agent, reasoning: "Looking at the numbers the user gave.", stepNumber: 1)),
                .toolExecuting(
                    ToolExecuting(
                        agentName: agent, toolName: "\(agent)_tool", parameters: ["request": "cut the cloud bill", "limit": 3],
                        executionID: executionID)),
                .toolCompleted(
                    ToolCompleted(
                        agentName: agent, toolName: "\(agent)_tool", executionID: executionID, status: .success,
                        results: ["findings": ["compute is 61% of spend", "egress grew 2.4x"], "data_sufficiency": "sufficient"],
                        durationMs: 3)),
                .agentCompleted(
                    AgentCompleted(
                        agentName: agent, status: .completed, finalResponse: "The \(agent) step found what it needed.",
                        durationMs: 4, state: ["step": .number(Double(position + 1))])),
            ]
        }
        events += [
            .agentCompleted(
                AgentCompleted(agentName: "supervisor", status: .completed, finalResponse: "Cut compute first.", durationMs: 25)),
            .runCompleted(RunCompleted(finalResponse: "Cut compute first: reserved instances save 30%.", degraded: false)),
        ]
        return try events.enumerated().map { offset, event in
            try event.newEvent(
                EventMetadata(eventID: "\(runID)-\(offset)", userID: userID, threadID: threadID, runID: runID))
        }
    }
}
