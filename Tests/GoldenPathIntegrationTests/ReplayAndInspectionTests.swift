import AgentRuntime
import Foundation
import GRDB
import Gateway
import Journal
import StandardPipeline
import Testing

/// The columns of a `runs` row that replay must reproduce.
struct ProjectedRun: Sendable {
    var status: String
    var agents: String
    var path: String?
    var eventCount: Int
    var lastSeq: Int64?
    var finalResponse: String?
}

@Suite("Replay and inspection")
struct ReplayAndInspectionTests {
    @Test("replay folds each triage path into the state the runs projection holds; --verify is clean")
    func replayEveryTriagePath() async throws {
        let scratch = try ReplayScratch()
        defer { scratch.remove() }
        let path = scratch.path("paths.sqlite")
        let runIDs = try await recordRuns(at: path) { recorder in
            var ids: [String] = []
            for (message, _, _) in ReplayMessages.paths { ids.append(try await recorder.run(message)) }
            return ids
        }
        try await withJournal(at: path) { journal in
            for (runID, (_, triagePath, agents)) in zip(runIDs, ReplayMessages.paths) {
                let replay = try await RunReplayer(journal: journal).replay(runID: runID)
                let events = try await journal.stream(EventStreams.run(runID))
                let state = replay.state
                #expect(replay.transitions.map(\.seq) == events.map(\.seq))
                #expect(state.status == .completed)
                #expect(state.path == triagePath)
                #expect(state.agentNames == agents)
                #expect(state.agents.allSatisfy { $0.status == .completed })
                #expect(!state.toolCalls.isEmpty && state.toolCalls.allSatisfy { $0.status == .success })
                #expect(state.toolCalls.first?.toolName == "classify_request")
                #expect(state.llmCalls.count == 1)
                #expect(state.llmCalls.first?.answeredBy == ScriptedLLM.model)
                #expect((state.llmCalls.first?.completionTokens ?? 0) > 0)
                #expect(state.outcome?.degraded == false)
                #expect(state.currentAgent == nil)
                // The transitions say what changed.
                let firstStart = try #require(replay.transitions.first { $0.type == "agent_started" })
                #expect(firstStart.changes.contains("status pending → running"))
                #expect(firstStart.changes.contains("agent supervisor started"))
                #expect(replay.transitions.contains { $0.changes.contains("path → \(triagePath)") })
                #expect(replay.transitions.last?.changes.first?.hasPrefix("status running → completed") == true)

                // Replayed state equals the projection the server keeps.
                let row = try #require(
                    try await journal.read { db -> ProjectedRun? in
                        try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE run_id = ?", arguments: [runID]).map {
                            ProjectedRun(
                                status: $0["status"], agents: $0["agents"], path: $0["path"],
                                eventCount: $0["event_count"],
                                lastSeq: $0["last_seq"], finalResponse: $0["final_response"])
                        }
                    })
                #expect(row.status == state.status.rawValue)
                #expect(row.agents == state.agentNames.joined(separator: ","))
                #expect(row.path == state.path)
                #expect(row.eventCount == state.eventCount)
                #expect(row.lastSeq == state.lastSeq)
                #expect(row.finalResponse == state.outcome?.finalResponse)

                // --until stops there.
                let triageCompleted = try #require(
                    replay.transitions.first {
                        $0.type == "agent_completed" && $0.agentName == "triage"
                    })
                let partial = try await RunReplayer(journal: journal).replay(runID: runID, until: triageCompleted.seq)
                #expect(partial.state.lastSeq == triageCompleted.seq)
                #expect(partial.state.status == .running)
                #expect(partial.state.currentAgent == "triage")
                #expect(partial.state.agents.last?.status == .completed)

                let report = try await RunVerifier(pipeline: StandardPipeline.make()).verify(runID: runID, in: journal)
                #expect(report.isClean, "\(String(describing: report.divergence))")
                // Counted as compared: the streamed answer's deltas are compared by their text, not one by one.
                #expect(report.actualCount == events.count { !EventType.streamedAnswerTypes.contains($0.type) })
            }
        }
    }

    @Test("replay of failed runs: a failing tool, a failing language model, a cancelled run; each verifies clean")
    func replayFailedRuns() async throws {
        let scratch = try ReplayScratch()
        defer { scratch.remove() }
        let path = scratch.path("failures.sqlite")
        // A failing tool: data fails, optimization and actions are skipped, the answer is degraded.
        let toolFailure = try await recordRuns(
            at: path,
            { configuration in
                configuration.tools = configuration.tools.replacing(AlwaysFailingTool(name: "extract_metrics"))
            }
        ) { recorder in try await recorder.run(ReplayMessages.sufficient) }
        // The language model fails: reporting writes the fallback report.
        let llmFailure = try await recordRuns(at: path, llm: ScriptedLLM(behavior: .failing(code: .unavailable))) {
            recorder in try await recorder.run(ReplayMessages.insufficient)
        }
        // stop_agent while a tool runs: run_cancelled.
        let cancelled = try await recordRuns(
            at: path,
            { configuration in
                configuration.tools = configuration.tools.replacing(NeverFinishingTool(name: "identify_missing_data"))
            }
        ) { recorder in
            let accepted = try await recorder.coordinator.submit(
                IncomingMessage(userID: "alice", content: ReplayMessages.partial))
            for try await event in recorder.journal.subscribe(filter: .stream(EventStreams.run(accepted.runID))) {
                if event.type == "tool_executing", event.payload.contains("identify_missing_data") { break }
            }
            try await recorder.coordinator.stop(runID: accepted.runID, userID: "alice")
            _ = try await recorder.eventsUntilEnd(of: accepted.runID)
            return accepted.runID
        }

        try await withJournal(at: path) { journal in
            let replayer = RunReplayer(journal: journal)
            let failedTool = try await replayer.replay(runID: toolFailure).state
            #expect(failedTool.status == .completed)
            #expect(failedTool.outcome?.degraded == true)
            let data = try #require(failedTool.agents.first { $0.name == "data" })
            #expect(data.status == .failed)
            #expect(data.errorCode == "TOOL_FAILED")
            #expect(failedTool.toolCalls.first { $0.toolName == "extract_metrics" }?.status == .error)
            #expect(failedTool.agentNames == ["supervisor", "triage", "data", "reporting"])

            let failedLLM = try await replayer.replay(runID: llmFailure)
            #expect(failedLLM.state.llmCalls.count == 1)
            #expect(failedLLM.state.llmCalls.first?.status == .failed)
            #expect(failedLLM.state.llmCalls.first?.errorCode == "LLM_UNAVAILABLE")
            #expect(failedLLM.state.toolCalls.last?.status == .error)
            #expect(failedLLM.state.outcome?.degraded == true)
            #expect(
                failedLLM.transitions.contains { $0.changes.contains("llm failed LLM_UNAVAILABLE after 1 attempt(s)") })

            let stopped = try await replayer.replay(runID: cancelled).state
            #expect(stopped.status == .cancelled)
            #expect(stopped.outcome?.errorCode == "CANCELLED")
            #expect(stopped.toolCalls.last?.toolName == "identify_missing_data")
            #expect(stopped.toolCalls.last?.status == .running)
            #expect(stopped.agents.last?.status == .running)

            var verifier = RunVerifier(pipeline: StandardPipeline.make())
            verifier.configuration.tools = verifier.configuration.tools
                .replacing(AlwaysFailingTool(name: "extract_metrics"))
            for runID in [toolFailure, llmFailure, cancelled] {
                let report = try await verifier.verify(runID: runID, in: journal)
                #expect(report.isClean, "\(runID): \(String(describing: report.divergence))")
            }
        }
        // docs/INSPECTING.md shows its recipes on this journal too: GOLDENPATH_REPLAY_KEEP_DIR=/tmp/dir keeps a copy.
        if let keep = ProcessInfo.processInfo.environment["GOLDENPATH_REPLAY_KEEP_DIR"] {
            let copy = URL(fileURLWithPath: keep).appendingPathComponent("failures.sqlite").path
            try? FileManager.default.removeItem(atPath: copy)
            try await withJournal(at: path) { journal in try await journal.backup(to: copy) }
        }
    }

    @Test("a different sub-agent order makes replay --verify report the exact first divergence")
    func verifyReportsFirstDivergence() async throws {
        let scratch = try ReplayScratch()
        defer { scratch.remove() }
        let path = scratch.path("divergence.sqlite")
        let runID = try await recordRuns(at: path) { recorder in try await recorder.run(ReplayMessages.partial) }
        try await withJournal(at: path) { journal in
            let events = try await journal.stream(EventStreams.run(runID))
            let position =
                try #require(
                    events.firstIndex {
                        $0.type == "agent_started" && $0.payload.contains("\"agent_name\":\"data_helper\"")
                    }) + 1

            var changed = StandardPipeline.Options()
            changed.agentsAfterTriage = { sufficiency in
                sufficiency == .partial ? [.data, .dataHelper, .reporting] : [.reporting]
            }
            let verifier = RunVerifier(pipeline: StandardPipeline.make(changed))
            let report = try await verifier.verify(runID: runID, in: journal)
            let divergence = try #require(report.divergence)
            #expect(divergence.position == position)
            #expect(divergence.expected?.seq == events[position - 1].seq)
            #expect(divergence.expected?.type == "agent_started")
            #expect(divergence.actual?.type == "agent_started")
            #expect(divergence.expected?.agentName == "data_helper")
            #expect(divergence.actual?.agentName == "data")
            #expect(divergence.fields == ["payload.agent_name", "payload.task_description"])
            #expect(divergence.expected?.value(at: "payload.agent_name") == "data_helper")

            // Unchanged code verifies clean.
            #expect(try await RunVerifier(pipeline: StandardPipeline.make()).verify(runID: runID, in: journal).isClean)
        }
    }

    @Test("goldenpath replay and replay --verify on the committed fixture (a copy): clean, exit 0")
    func fixtureReplaysAndVerifies() async throws {
        let executable = try #require(goldenpathExecutable, "build the goldenpath executable first (swift build)")
        let scratch = try ReplayScratch()
        defer { scratch.remove() }
        let path = try scratch.copyOfFixture()
        let runs = try await sqlite3Rows(path, "SELECT run_id, path, event_count FROM runs ORDER BY first_seq")
        #expect(runs.compactMap { $0["path"]?.stringValue }.sorted() == ["insufficient", "partial", "sufficient"])
        for run in runs {
            let runID = try #require(run["run_id"]?.stringValue)
            let replay = try await runProgram(executable, ["replay", runID, "--db", path])
            #expect(replay.status == 0, "\(replay.stderr)")
            #expect(replay.stdout.contains("path → \(run["path"]?.stringValue ?? "?")"))
            #expect(replay.stdout.contains("run completed"))
            #expect(replay.stdout.contains("sent agent_started to "))
            let verify = try await runProgram(executable, ["replay", runID, "--verify", "--db", path])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
            #expect(verify.stdout.contains("clean"))
            let json = try await runProgram(executable, ["replay", runID, "--verify", "--json", "--db", path])
            let report = try JSONDecoder().decode(VerificationReport.self, from: Data(json.stdout.utf8))
            #expect(report.isClean && report.expectedCount == run["event_count"]?.intValue)
        }
        // The CLI's --until: the state after the third event of the first run.
        let first = try #require(runs.first?["run_id"]?.stringValue)
        let seqs = try await sqlite3Rows(path, "SELECT seq FROM events WHERE run_id = '\(first)' ORDER BY seq")
        let third = try #require(seqs.dropFirst(2).first?["seq"]?.intValue)
        let until = try await runProgram(executable, ["replay", first, "--until", "\(third)", "--json", "--db", path])
        let lines = until.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        let last = try JSONDecoder().decode([String: RunState].self, from: Data((lines.last ?? "").utf8))
        #expect(last["state"]?.lastSeq == Int64(third))
        #expect(last["state"]?.currentAgent == "supervisor")
        // The fixture itself is untouched by the verification (it ran on a scratch copy).
        let after = try await sqlite3Rows(path, "SELECT COUNT(*) AS n FROM events WHERE run_id LIKE '%-replay-%'")
        #expect(after.first?["n"]?.intValue == 0)
    }

    @Test("the committed fixture migrates on open: 0004 drops events_by_thread, events and hashes unchanged, verify clean")
    func fixtureMigrates() async throws {
        let executable = try #require(goldenpathExecutable, "build the goldenpath executable first (swift build)")
        let scratch = try ReplayScratch()
        defer { scratch.remove() }
        let path = try scratch.copyOfFixture()
        let indexQuery = "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'index' AND name = 'events_by_thread'"
        let migrationQuery = "SELECT COUNT(*) AS n FROM grdb_migrations WHERE identifier = '0004_journal'"
        let eventsQuery = "SELECT COUNT(*) AS n, group_concat(hash, '') AS hashes FROM (SELECT hash FROM events ORDER BY seq)"
        #expect(try await sqlite3Rows(path, indexQuery).first?["n"]?.intValue == 1, "the fixture predates 0004")
        #expect(try await sqlite3Rows(path, migrationQuery).first?["n"]?.intValue == 0)
        let before = try await sqlite3Rows(path, eventsQuery)

        let verify = try await runProgram(executable, ["verify", "--db", path])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("verify: ok"))

        #expect(try await sqlite3Rows(path, indexQuery).first?["n"]?.intValue == 0)
        #expect(try await sqlite3Rows(path, migrationQuery).first?["n"]?.intValue == 1)
        #expect(try await sqlite3Rows(path, eventsQuery) == before)
        #expect(try #require(before.first?["n"]?.intValue) > 0)
    }

    @Test("goldenpath replay --verify exits 1 and prints expected vs actual at the first differing event")
    func cliReportsDivergence() async throws {
        let executable = try #require(goldenpathExecutable, "build the goldenpath executable first (swift build)")
        let scratch = try ReplayScratch()
        defer { scratch.remove() }
        let path = try scratch.copyOfFixture()
        let runID = try #require(
            try await sqlite3Rows(path, "SELECT run_id FROM runs WHERE path = 'partial'").first?["run_id"]?.stringValue)
        let target = try #require(
            try await sqlite3Rows(
                path,
                """
                SELECT seq FROM events WHERE run_id = '\(runID)' AND type = 'tool_completed'
                  AND json_extract(payload, '$.tool_name') = 'classify_request'
                """
            ).first?["seq"]?.intValue)
        let position = try #require(
            try await sqlite3Rows(path, "SELECT COUNT(*) AS n FROM events WHERE run_id = '\(runID)' AND seq <= \(target)")
                .first?["n"]?.intValue)
        // The recording says priority "high" where today's classify_request says "low".
        let sqlite3 = try #require(sqlite3Executable)
        let tamper = try await runProgram(
            sqlite3,
            [
                path,
                """
                DROP TRIGGER events_refuse_update;
                UPDATE events SET payload = replace(payload, '"priority":"low"', '"priority":"high"') WHERE seq = \(target);
                """,
            ])
        #expect(tamper.status == 0, "\(tamper.stderr)")
        let result = try await runProgram(executable, ["replay", runID, "--verify", "--live-tools", "--db", path])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("DIVERGED at event \(position) of") == true, "\(result.stdout)")
        #expect(lines.first?.contains("(recorded seq \(target))") == true)
        #expect(lines.contains("  differs:  payload.results.priority"))
        #expect(lines.contains(#"    payload.results.priority: expected "high", actual "low""#))
        #expect(lines.contains { $0.hasPrefix("  expected: tool_completed agent=triage tool=classify_request") })
        #expect(lines.contains { $0.hasPrefix("  actual:   tool_completed agent=triage tool=classify_request") })
        // With the recorded outputs fed back, the first difference is triage's summary of the altered result.
        let recorded = try await runProgram(executable, ["replay", runID, "--verify", "--json", "--db", path])
        #expect(recorded.status == 1)
        let report = try JSONDecoder().decode(VerificationReport.self, from: Data(recorded.stdout.utf8))
        #expect(report.divergence?.position == position + 1)
        #expect(report.divergence?.fields == ["payload.final_response"])
        #expect(report.divergence?.expected?.type == "agent_completed")
    }

    @Test("goldenpath verify names the event whose payload was altered by one byte")
    func verifyNamesTamperedEvent() async throws {
        let executable = try #require(goldenpathExecutable, "build the goldenpath executable first (swift build)")
        let scratch = try ReplayScratch()
        defer { scratch.remove() }
        let path = try scratch.copyOfFixture()
        let clean = try await runProgram(executable, ["verify", "--db", path])
        #expect(clean.status == 0, "\(clean.stdout)")
        let target = try #require(
            try await sqlite3Rows(
                path, "SELECT seq FROM events WHERE type = 'agent_thinking' ORDER BY seq LIMIT 1 OFFSET 2"
            ).first?["seq"]?.intValue)
        let sqlite3 = try #require(sqlite3Executable)
        // One byte: step_number 1 → 2 (the payload still decodes; only the hash chain can tell).
        let tamper = try await runProgram(
            sqlite3,
            [
                path,
                """
                DROP TRIGGER events_refuse_update;
                UPDATE events SET payload = replace(payload, '"step_number":1', '"step_number":2') WHERE seq = \(target);
                """,
            ])
        #expect(tamper.status == 0, "\(tamper.stderr)")
        let changed = try await sqlite3Rows(path, "SELECT payload FROM events WHERE seq = \(target)")
        #expect(changed.first?["payload"]?.stringValue?.contains(#""step_number":2"#) == true)
        let verify = try await runProgram(executable, ["verify", "--db", path])
        #expect(verify.status == 1)
        let failures = verify.stdout.split(separator: "\n").filter { $0.hasPrefix("FAIL") }
        #expect(!failures.isEmpty)
        #expect(failures.contains { $0.contains("seq \(target):") && $0.contains("hash") }, "\(verify.stdout)")
        #expect(failures.allSatisfy { $0.contains("seq \(target)") }, "\(verify.stdout)")
    }

    @Test("the views answer with sqlite3 on a demo journal: SPEC §6 columns and consistent rows")
    func viewsWithSQLite3() async throws {
        let scratch = try ReplayScratch()
        defer { scratch.remove() }
        let path = try scratch.copyOfFixture()
        let runs = try await sqlite3Rows(path, "SELECT run_id, user_id, event_count FROM runs")
        #expect(runs.count == 3)

        let summary = try await sqlite3Rows(path, "SELECT * FROM run_summary")
        #expect(summary.count == 3)
        for row in summary {
            for column in ["run_id", "user_id", "thread_id", "status", "agents", "event_count", "duration_ms"] {
                #expect(row.keys.contains(column), "run_summary lacks \(column)")
            }
            #expect(row["status"] == "completed")
            #expect(row["agents"]?.stringValue?.hasPrefix("supervisor,triage,") == true)
            #expect((row["duration_ms"]?.intValue ?? -1) >= 0)
        }

        for run in runs {
            let runID = try #require(run["run_id"]?.stringValue)
            let count = try #require(run["event_count"]?.intValue)
            let timeline = try await sqlite3Rows(
                path, "SELECT * FROM run_timeline WHERE run_id = '\(runID)' ORDER BY seq")
            #expect(timeline.count == count)
            for column in ["run_id", "seq", "type", "agent_name", "tool_name", "offset_ms"] {
                #expect(timeline.first?.keys.contains(column) == true, "run_timeline lacks \(column)")
            }
            let offsets = timeline.compactMap { $0["offset_ms"]?.intValue }
            #expect(offsets.first == 0 && offsets == offsets.sorted())
            #expect(timeline.first?["type"] == "user_message")
            #expect(timeline.contains { $0["tool_name"] == "classify_request" && $0["agent_name"] == "triage" })

            let tree = try await sqlite3Rows(path, "SELECT * FROM causation_tree WHERE run_id = '\(runID)' ORDER BY seq")
            #expect(tree.count == count, "every event of the run is in its causation tree once")
            for column in ["run_id", "seq", "parent_seq", "depth", "type"] {
                #expect(tree.first?.keys.contains(column) == true, "causation_tree lacks \(column)")
            }
            let depthBySeq = Dictionary(
                uniqueKeysWithValues: tree.compactMap { row -> (Int, Int)? in
                    guard let seq = row["seq"]?.intValue, let depth = row["depth"]?.intValue else { return nil }
                    return (seq, depth)
                })
            for row in tree {
                if let parent = row["parent_seq"]?.intValue {
                    #expect(depthBySeq[parent].map { $0 + 1 } == row["depth"]?.intValue)
                } else {
                    #expect(row["depth"] == 0)
                }
            }
        }

        let frames = try await sqlite3Rows(path, "SELECT * FROM frames_by_user")
        let deliveries = try await sqlite3Rows(path, "SELECT COUNT(*) AS n FROM deliveries")
        #expect(frames.count == deliveries.first?["n"]?.intValue && !frames.isEmpty)
        for column in ["recipient_user_id", "connection_id", "seq", "type", "sent_at"] {
            #expect(frames.first?.keys.contains(column) == true, "frames_by_user lacks \(column)")
        }
        #expect(try await sqlite3Rows(path, "SELECT * FROM cross_user_deliveries").isEmpty)
        #expect(try await sqlite3Rows(path, "SELECT * FROM cross_user_events").isEmpty)
        let columns = try await sqlite3Rows(path, "SELECT name FROM pragma_table_info('cross_user_events')")
        #expect(columns.compactMap { $0["name"]?.stringValue } == ["run_id", "seq", "type", "user_id", "run_owner"])
        let deliveryColumns = try await sqlite3Rows(path, "SELECT name FROM pragma_table_info('cross_user_deliveries')")
            .compactMap { $0["name"]?.stringValue }
        #expect(Array(deliveryColumns.prefix(5)) == ["recipient_user_id", "connection_id", "seq", "type", "sent_at"])
    }

    @Test("an older schema version goes through the upcaster registry")
    func upcastsOlderPayloads() throws {
        let v0 = RecordedEvent(
            seq: 7, eventID: "e-7", stream: "run:r", streamVersion: 3, type: "agent_started", schemaVersion: 0,
            userID: "alice", threadID: "t", runID: "r", connectionID: nil, causationSeq: nil, correlationID: nil,
            payload: #"{"agent":"triage","task":"Classify the request"}"#, recordedAt: "2026-01-01T00:00:00.000Z",
            prevHash: String(repeating: "0", count: 64), hash: String(repeating: "0", count: 64))
        #expect(throws: AgentEventError.self) { try AgentEvent(recorded: v0) }
        let upcasters = EventUpcasters().registering(.agentStarted, from: 0) { payload in
            [
                "agent_name": payload["agent"] ?? .null, "task_description": payload["task"] ?? .null,
                "instance_id": "unknown",
            ]
        }
        let decoded = try AgentEvent(recorded: v0, upcasters: upcasters)
        #expect(
            decoded
                == .agentStarted(
                    AgentStarted(
                        agentName: "triage", taskDescription: "Classify the request", instanceID: "unknown")))
        // A current (v1) payload passes through untouched.
        var v1 = v0
        v1.schemaVersion = 1
        v1.payload = #"{"agent_name":"data","instance_id":"i","task_description":"Extract"}"#
        #expect(
            try AgentEvent(recorded: v1, upcasters: upcasters)
                == .agentStarted(AgentStarted(agentName: "data", taskDescription: "Extract", instanceID: "i")))
        // Replay folds an upcast event like any other.
        #expect(!upcasters.hasStep(for: .agentStarted, from: 1))
    }

    @Test("the replay fold on a synthetic 10,000-event run")
    func foldsASyntheticRun() async throws {
        let scratch = try ReplayScratch()
        defer { scratch.remove() }
        let path = scratch.path("synthetic.sqlite")
        let runID = try await writeSyntheticRun(at: path, eventCount: 10_000)
        try await withJournal(at: path) { journal in
            let events = try await journal.stream(EventStreams.run(runID))
            #expect(events.count == 10_000)
            let clock = ContinuousClock()
            var state = RunState(runID: runID)
            let elapsed = try clock.measure { state = try RunReplayer.fold(events, runID: runID) }
            let seconds = Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds)
            #expect(state.eventCount == 10_000)
            #expect(state.status == .completed)
            #expect(state.toolCalls.count == (4..<10_000).filter { $0 % 5 == 1 }.count)
            #expect(state.toolCalls.allSatisfy { $0.status == .success })
            print("replay fold: \(Int(10_000 / max(seconds, 1e-9))) events/s (this build)")
        }
        // The CLI's hidden benchmark folds the same run (`goldenpath replay RUN --bench-folds N`).
        if let executable = goldenpathExecutable {
            let bench = try await runProgram(executable, ["replay", runID, "--bench-folds", "2", "--db", path])
            #expect(bench.status == 0, "\(bench.stderr)")
            let line = try JSONDecoder().decode([String: JSONValue].self, from: Data(bench.stdout.utf8))
            #expect(line["events"]?.intValue == 10_000)
            #expect((line["events_per_second"]?.intValue ?? 0) > 0)
        }
        // To measure a release build by hand: GOLDENPATH_REPLAY_KEEP_DIR=/tmp/dir keeps a copy (synthetic.sqlite).
        if let keep = ProcessInfo.processInfo.environment["GOLDENPATH_REPLAY_KEEP_DIR"] {
            let copy = URL(fileURLWithPath: keep).appendingPathComponent("synthetic.sqlite").path
            try? FileManager.default.removeItem(atPath: copy)
            try await withJournal(at: path) { journal in try await journal.backup(to: copy) }
        }
    }
}
