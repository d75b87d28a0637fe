import AgentRuntime
import Foundation
import GRDB
import GoldenPathClient
import Journal

/// What the demo found, read back from the journal and from the frames each client received.
struct DemoReport {
    /// One user's run.
    struct RunLine {
        var username: String
        var runID: String
        var path: String
        var status: String
        var degraded: Bool
        var agents: [String]
        var eventCount: Int
        var framesReceived: Int
        var deliveries: Int
        var durationMs: Int?
    }

    var runs: [RunLine]
    var crossUserDeliveries: Int
    var crossUserEvents: Int
    var canaryLeaks: Int
    var foreignFrames: Int
    var verify: IntegrityReport

    var allCompleted: Bool { !runs.isEmpty && runs.allSatisfy { $0.status == "completed" } }
    var leakFree: Bool { crossUserDeliveries == 0 && crossUserEvents == 0 && canaryLeaks == 0 && foreignFrames == 0 }
    var succeeded: Bool { allCompleted && leakFree && verify.passes() }

    static func make(
        journal: EventJournal, sessions: [ChatClient.Session], outcomes: [ChatClient.Outcome],
        canaries: [String]
    ) async throws -> DemoReport {
        var runs: [RunLine] = []
        let listings = try await RunInspector(journal: journal).runs(limit: 10_000)
        for (index, outcome) in outcomes.enumerated() {
            let username = DemoScript.username(index)
            guard let runID = outcome.runID, let listing = listings.first(where: { $0.runID == runID }) else {
                runs.append(
                    RunLine(
                        username: username, runID: outcome.runID ?? "-", path: "-", status: "no run", degraded: false,
                        agents: [], eventCount: 0, framesReceived: 0, deliveries: 0, durationMs: nil))
                continue
            }
            let deliveries = try await journal.read { db in
                try Int.fetchOne(
                    db,
                    sql: "SELECT COUNT(*) FROM deliveries AS d JOIN events AS e ON e.seq = d.seq WHERE e.run_id = ?",
                    arguments: [runID]) ?? 0
            }
            runs.append(
                RunLine(
                    username: username, runID: runID, path: listing.path ?? "-", status: listing.status,
                    degraded: listing.degraded, agents: listing.agents, eventCount: listing.eventCount,
                    framesReceived: outcome.frames.filter { $0.runID == runID }.count,
                    deliveries: deliveries, durationMs: listing.durationMs))
        }
        let (crossDeliveries, crossEvents) = try await journal.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cross_user_deliveries") ?? 0,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cross_user_events") ?? 0
            )
        }
        var canaryLeaks = 0
        var foreignFrames = 0
        for (index, session) in sessions.enumerated() where index < canaries.count {
            let canary = canaries[index]
            let userID = session.userID
            canaryLeaks += try await journal.read { db in
                let events =
                    try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM events WHERE instr(payload, ?) > 0 AND user_id IS NOT ?",
                        arguments: [canary, userID]) ?? 0
                let deliveries =
                    try Int.fetchOne(
                        db,
                        sql: """
                            SELECT COUNT(*) FROM deliveries AS d JOIN events AS e ON e.seq = d.seq
                            WHERE instr(e.payload, ?) > 0 AND d.recipient_user_id IS NOT ?
                            """,
                        arguments: [canary, userID]) ?? 0
                return events + deliveries
            }
            // What the other users' sockets actually received.
            for (other, outcome) in outcomes.enumerated() where other != index {
                canaryLeaks += outcome.frames.filter { $0.text.contains(canary) }.count
            }
            if index < outcomes.count {
                foreignFrames +=
                    outcomes[index].frames.filter {
                        guard let owner = $0.userID else { return false }
                        return owner != userID
                    }.count
            }
        }
        return DemoReport(
            runs: runs, crossUserDeliveries: crossDeliveries, crossUserEvents: crossEvents, canaryLeaks: canaryLeaks,
            foreignFrames: foreignFrames, verify: try await journal.verify())
    }
}
