import AgentRuntime
import Foundation
import GRDB
import Journal
import StandardPipeline
import Testing

/// The golden path through ``RunCoordinator`` with a real journal and the scripted LLM: the exact event sequence
/// of each triage path, the hand-off of triage's verdict, per-run agent instances, and the projections.
@Suite("Run paths", .timeLimit(.minutes(5)))
struct RunPathTests {
    @Test("sufficient data: triage, data, optimization, actions, reporting")
    func sufficientPath() async throws {
        try await withCoordinator { harness in
            let events = try await harness.runToEnd(Messages.sufficient)
            #expect(
                describe(events)
                    == runSequence(
                        agentBlock("triage", tools: ["classify_request"])
                            + agentBlock("data", tools: ["extract_metrics"])
                            + agentBlock("optimization", tools: ["estimate_cost_change", "rank_options"])
                            + agentBlock("actions", tools: ["plan_actions"])
                            + agentBlock("reporting", tools: ["llm_report_generation"], llm: true)))
            let completed = try #require(
                payloads(events) { if case .runCompleted(let p) = $0 { p } else { nil } }.first)
            #expect(completed.degraded == false)
            #expect(completed.finalResponse.contains("You asked: \"\(Messages.sufficient)\""))
            #expect(completed.finalResponse.contains("Next steps:"))
            let supervisor = payloads(events) { event -> AgentCompleted? in
                if case .agentCompleted(let p) = event, p.agentName == "supervisor" { p } else { nil }
            }
            #expect(supervisor.first?.finalResponse == completed.finalResponse)
        }
    }

    @Test("partial data: triage, data_helper, data, reporting")
    func partialPath() async throws {
        try await withCoordinator { harness in
            let events = try await harness.runToEnd(Messages.partial)
            #expect(
                describe(events)
                    == runSequence(
                        agentBlock("triage", tools: ["classify_request"])
                            + agentBlock("data_helper", tools: ["identify_missing_data"])
                            + agentBlock("data", tools: ["extract_metrics"])
                            + agentBlock("reporting", tools: ["llm_report_generation"], llm: true)))
            let runID = try #require(events.first?.runID)
            let run = try #require(try await harness.coordinator.queries.run(id: runID, ofUser: "alice"))
            #expect(run.status == .completed)
            #expect(run.path == "partial")
            #expect(run.agents == ["supervisor", "triage", "data_helper", "data", "reporting"])
            #expect(run.eventCount == events.count)
        }
    }

    @Test("insufficient data: triage, data_helper, reporting")
    func insufficientPath() async throws {
        try await withCoordinator { harness in
            let events = try await harness.runToEnd(Messages.insufficient)
            #expect(
                describe(events)
                    == runSequence(
                        agentBlock("triage", tools: ["classify_request"])
                            + agentBlock("data_helper", tools: ["identify_missing_data"])
                            + agentBlock("reporting", tools: ["llm_report_generation"], llm: true)))
            let completed = try #require(
                payloads(events) { if case .runCompleted(let p) = $0 { p } else { nil } }.first)
            #expect(completed.degraded == false)
            #expect(completed.finalResponse.contains("What could not be determined"))
        }
    }

    @Test("triage's verdict reaches later agents' tool parameters")
    func triageHandOff() async throws {
        try await withCoordinator { harness in
            let events = try await harness.runToEnd(Messages.partial)
            let calls = payloads(events) { if case .toolExecuting(let p) = $0 { p } else { nil } }
            let triage = try #require(
                payloads(events) { event -> ToolCompleted? in
                    if case .toolCompleted(let p) = event, p.toolName == "classify_request" { p } else { nil }
                }.first)
            #expect(triage.results["data_sufficiency"] == "partial")
            #expect(triage.results["category"] == "performance")
            for call in calls where call.agentName != "triage" {
                #expect(call.parameters["data_sufficiency"] == "partial", "\(call.toolName)")
                #expect(call.parameters["category"] == "performance", "\(call.toolName)")
            }
            let metrics = try #require(
                payloads(events) { event -> ToolCompleted? in
                    if case .toolCompleted(let p) = event, p.toolName == "extract_metrics" { p } else { nil }
                }.first)
            #expect(metrics.results["metrics"]?.arrayValue?.first?["text"] == "450 ms")
        }
    }

    @Test("every run gets fresh agent instances; every event is owned by the run's user")
    func freshInstancesPerRun() async throws {
        try await withCoordinator { harness in
            let first = try await harness.runToEnd(Messages.insufficient, user: "alice")
            let second = try await harness.runToEnd(Messages.insufficient, user: "bob")
            let ids = { (events: [RecordedEvent]) in
                Set(payloads(events) { if case .agentStarted(let p) = $0 { p.instanceID } else { nil } })
            }
            #expect(ids(first).count == 4)
            #expect(ids(first).isDisjoint(with: ids(second)))
            #expect(first.allSatisfy { $0.userID == "alice" && $0.runID == first[0].runID })
            #expect(second.allSatisfy { $0.userID == "bob" && $0.threadID == second[0].threadID })
            #expect(Set(first.map(\.stream)) == [EventStreams.run(try #require(first[0].runID))])
        }
    }

    @Test("the LLM call is journaled with model, tokens, latency and attempts")
    func llmCallIsJournaled() async throws {
        try await withCoordinator { harness in
            let events = try await harness.runToEnd(Messages.sufficient)
            let request = try #require(payloads(events) { if case .llmRequest(let p) = $0 { p } else { nil } }.first)
            let response = try #require(payloads(events) { if case .llmResponse(let p) = $0 { p } else { nil } }.first)
            #expect(request.model == "scripted-1")
            #expect(request.messages.last?.content.hasPrefix("Request: \(Messages.sufficient)") == true)
            #expect(response.model == "scripted-1")
            #expect(response.promptTokens > 0)
            #expect(response.completionTokens == response.content.split(whereSeparator: \.isWhitespace).count)
            #expect(response.attempts.map(\.outcome) == ["success"])
            let responseEvent = try #require(events.first { $0.type == "llm_response" })
            let requestEvent = try #require(events.first { $0.type == "llm_request" })
            #expect(responseEvent.causationSeq == requestEvent.seq)
        }
    }

    @Test("threads and messages projections; the projections equal a rebuild")
    func projections() async throws {
        try await withCoordinator { harness in
            let first = try await harness.send(Messages.partial)
            _ = try await harness.eventsUntilEnd(of: first.runID)
            let second = try await harness.send("And what about 20 servers?", thread: first.threadID)
            _ = try await harness.eventsUntilEnd(of: second.runID)
            _ = try await harness.runToEnd(Messages.sufficient, user: "bob")

            let queries = harness.coordinator.queries
            let threads = try await queries.threads(ofUser: "alice")
            #expect(threads.map(\.threadID) == [first.threadID])
            #expect(threads.first?.messageCount == 4)
            #expect(threads.first?.lastRunID == second.runID)
            #expect(threads.first?.title == Messages.partial)
            let messages = try #require(try await queries.messages(inThread: first.threadID, ofUser: "alice"))
            #expect(messages.map(\.role) == [.user, .assistant, .user, .assistant])
            #expect(messages.first?.content == Messages.partial)
            #expect(try await queries.messages(inThread: first.threadID, ofUser: "bob") == nil)
            #expect(try await queries.run(id: first.runID, ofUser: "bob") == nil)
            #expect(try await queries.runEvents(id: first.runID, ofUser: "bob") == nil)
            #expect(try await queries.runEvents(id: first.runID, ofUser: "alice")?.first?.type == "user_message")
            #expect(try await queries.threadOwner(first.threadID) == "alice")
            #expect(try await queries.openRuns().isEmpty)

            let report = try await harness.journal.verify()
            #expect(report.failures.isEmpty, "\(report.failures)")
            #expect(report.warnings.isEmpty, "\(report.warnings)")
            #expect(report.checks.contains("projection:runs"))
            #expect(report.checks.contains("cross_user_events"))

            let before = try await harness.journal.read { db in
                try String.fetchAll(
                    db, sql: "SELECT run_id || status || event_count || agents FROM runs ORDER BY run_id")
            }
            try await harness.journal.rebuildProjections()
            let after = try await harness.journal.read { db in
                try String.fetchAll(
                    db, sql: "SELECT run_id || status || event_count || agents FROM runs ORDER BY run_id")
            }
            #expect(before == after)
            #expect(before.count == 3)
        }
    }

    @Test("the views: run_timeline, run_summary, causation_tree")
    func views() async throws {
        try await withCoordinator { harness in
            let events = try await harness.runToEnd(Messages.insufficient)
            let runID = try #require(events.first?.runID)
            let (timeline, summary, roots, depthOfTerminal) = try await harness.journal.read { db in
                (
                    try Row.fetchAll(
                        db, sql: "SELECT * FROM run_timeline WHERE run_id = ? ORDER BY seq", arguments: [runID]
                    )
                    .map { row -> String in
                        let type: String = row["type"]
                        let tool: String? = row["tool_name"]
                        return [type, tool].compactMap { $0 }.joined(separator: " ")
                    },
                    try Row.fetchOne(db, sql: "SELECT * FROM run_summary WHERE run_id = ?", arguments: [runID])
                        .map { row -> String in
                            let status: String = row["status"]
                            let agents: String = row["agents"]
                            let count: Int = row["event_count"]
                            let duration: Int? = row["duration_ms"]
                            return "\(status) \(agents) \(count) \(duration != nil)"
                        },
                    try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM causation_tree WHERE run_id = ? AND depth = 0",
                        arguments: [runID]),
                    try Int.fetchOne(
                        db, sql: "SELECT depth FROM causation_tree WHERE run_id = ? AND type = 'run_completed'",
                        arguments: [runID])
                )
            }
            #expect(timeline.count == events.count)
            #expect(timeline.contains("tool_executing classify_request"))
            #expect(summary == "completed supervisor,triage,data_helper,reporting \(events.count) true")
            #expect(roots == 2)  // user_message, and message_received (appended in the same batch)
            #expect((depthOfTerminal ?? 0) >= 2)
            let causeCount = try await harness.journal.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM causation_tree WHERE run_id = ?", arguments: [runID])
            }
            #expect(causeCount == events.count)
        }
    }

    @Test("concurrent runs of several users stay apart: exact sequences, no cross-user event, verify passes")
    func concurrentUsers() async throws {
        try await withCoordinator { harness in
            let users = ["u1", "u2", "u3", "u4"]
            let runs = try await withThrowingTaskGroup(of: (String, String, [RecordedEvent]).self) { group in
                for user in users {
                    for message in [Messages.sufficient, Messages.partial] {
                        group.addTask { (user, message, try await harness.runToEnd(message, user: user)) }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(runs.count == 8)
            for (user, message, events) in runs {
                #expect(events.allSatisfy { $0.userID == user })
                let expectedAgents =
                    message == Messages.sufficient
                    ? ["supervisor", "triage", "data", "optimization", "actions", "reporting"]
                    : ["supervisor", "triage", "data_helper", "data", "reporting"]
                let started = payloads(events) { if case .agentStarted(let p) = $0 { p.agentName } else { nil } }
                #expect(started == expectedAgents)
                #expect(events.last?.type == "run_completed")
            }
            let leaks = try await harness.journal.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cross_user_events") ?? -1
            }
            #expect(leaks == 0)
            let report = try await harness.journal.verify()
            #expect(report.passes(strict: true), "\(report.problems)")
        }
    }
}
