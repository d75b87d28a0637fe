import AgentRuntime
import Foundation
import GRDB
import Gateway
import GoldenPathTesting
import Journal
import StandardPipeline
import Testing

/// Real-time delivery over the WebSocket: the critical events with their SPEC §4 fields, their order against the
/// journal's events and deliveries, a long run's connection health, and progress updates.
@Suite("Agent WebSocket real time", .timeLimit(.minutes(5)))
struct AgentWebSocketRealTimeTests {
    static let shared = ITSharedServer()

    /// The SPEC §4 fields of each of the five critical events.
    static let criticalFields: [String: [String]] = [
        "agent_started": ["agent_name", "task_description"],
        "agent_thinking": ["agent_name", "reasoning", "step_number"],
        "tool_executing": ["agent_name", "tool_name", "parameters", "execution_id"],
        "tool_completed": ["agent_name", "tool_name", "execution_id", "status", "results", "duration_ms"],
        "agent_completed": ["agent_name", "status", "duration_ms"],
    ]

    static func envelopeFields() -> [String] { ["type", "timestamp", "seq", "user_id", "thread_id", "run_id"] }

    // MARK: - The critical events and their fields

    @Test("each critical event reaches the client with its SPEC fields", arguments: [
        "agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed",
    ])
    func criticalEvent(type: String) async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "crit")
        let (runID, frames) = try await user.run(IT.sufficient)
        let matching = frames.filter { $0.type == type }
        let expected = try await JournalAssertions(server.journal).runEvents(runID).filter { $0.type == type }
        #expect(!matching.isEmpty && matching.map(\.seq) == expected.map { Optional($0.seq) })
        for frame in matching {
            for field in Self.envelopeFields() + (Self.criticalFields[type] ?? []) {
                #expect(frame[field] != nil && frame[field] != .null, "\(type) lacks \(field): \(frame)")
            }
        }
        switch type {
        case "tool_completed":
            #expect(matching.allSatisfy { ["success", "error", "timeout"].contains($0["status"]?.stringValue ?? "") })
        case "agent_completed":
            #expect(matching.allSatisfy { ["completed", "failed", "timeout"].contains($0["status"]?.stringValue ?? "") })
            #expect(matching.last?.agentName == "supervisor" && matching.last?["final_response"]?.stringValue != nil)
        case "agent_thinking":
            #expect(matching.allSatisfy { !($0["reasoning"]?.stringValue ?? "").isEmpty })
        default: break
        }
        try await user.close()
    }

    @Test("message_received carries client_message_id, thread_id, run_id and seq")
    func messageReceivedFields() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "mr")
        let received = try await user.send(IT.partial)
        for field in ["client_message_id", "thread_id", "run_id", "seq", "timestamp"] {
            #expect(received[field] != nil, "\(field)")
        }
        let runID = try #require(received.runID)
        try await user.client.awaitRunEnd(runID: runID)
        let event = try await JournalAssertions(server.journal).runEvents(runID).first { $0.type == "message_received" }
        #expect(event?.seq == received.seq)
        try await user.close()
    }

    @Test("run_completed carries status, final_response and degraded")
    func runCompletedFields() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "rc")
        let (_, frames) = try await user.run(IT.partial)
        let end = try #require(frames.last)
        #expect(end.type == "run_completed")
        #expect(end["status"]?.stringValue == "completed")
        #expect((end["final_response"]?.stringValue ?? "").isEmpty == false)
        #expect(end["degraded"]?.boolValue == false)
        try await user.close()
    }

    @Test("agent_error carries error_code and a message without stack traces or file paths")
    func agentErrorFields() async throws {
        let agents = FaultPlan().failingTool("identify_missing_data", message: "the inventory service refused")
            .apply(to: AgentsConfiguration())
        try await withLiveServer(agents: agents) { server in
            let user = try await ITUser.make(server, "err")
            let (_, frames) = try await user.run(IT.insufficient)
            let error = try #require(frames.first { $0.type == "agent_error" })
            #expect(error.agentName == "data_helper")
            #expect(error["error_code"]?.stringValue == "TOOL_FAILED")
            let message = error["message"]?.stringValue ?? ""
            #expect(!message.isEmpty)
            #expect(!message.contains(".swift") && !message.contains("/work/") && !message.contains("Fatal"))
            try await user.close()
        }
    }

    @Test("every frame's timestamp is ISO 8601 UTC with milliseconds")
    func timestamps() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "ts")
        _ = try await user.run(IT.insufficient)
        try await user.client.send(["type": "ping"])
        try await user.client.awaitFrame("pong") { $0.type == "pong" }
        let pattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
        for frame in user.client.frames {
            let timestamp = frame["timestamp"]?.stringValue ?? ""
            #expect(timestamp.wholeMatch(of: pattern) != nil, "\(frame.type ?? "?"): \(timestamp)")
        }
        try await user.close()
    }

    // MARK: - Order, from the journal

    @Test("frames arrive in strictly increasing seq, in the journal's order")
    func frameOrder() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "order")
        let (runID, frames) = try await user.run(IT.sufficient)
        let seqs = frames.compactMap(\.seq)
        #expect(seqs.count == frames.count && seqs == seqs.sorted() && Set(seqs).count == seqs.count)
        #expect(IT.keys(frames) == IT.keys(try await JournalAssertions(server.journal).runEvents(runID)))
        try await user.close()
    }

    @Test("when a frame arrives, its deliveries row for this connection is already committed")
    func deliveryCommittedBeforeFrame() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "commit")
        let received = try await user.send(IT.sufficient)
        let runID = try #require(received.runID)
        var index = 0
        var checked = 0
        while true {
            let frame = try await user.client.awaitFrame(from: index, "frame #\(index)") { _ in true }
            index = (user.client.frames.firstIndex(of: frame) ?? index) + 1
            guard let seq = frame.seq else { continue }
            let rows = try await JournalAssertions(server.journal).integer(
                "SELECT COUNT(*) FROM deliveries WHERE connection_id = ? AND seq = ? AND frame_type = ?",
                [user.connectionID, seq, frame.type ?? ""])
            #expect(rows == 1, "frame \(seq) \(frame.type ?? "") arrived before its delivery row")
            checked += 1
            if frame.runID == runID, AgentEvent.terminalTypes.contains(frame.type ?? "") { break }
        }
        #expect(checked > 10)
        try await user.close()
    }

    @Test("a connection's deliveries rows are in seq order and name the frame's type")
    func deliveriesOrdered() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "dorder")
        _ = try await user.run(IT.sufficient)
        _ = try await user.run(IT.partial)
        let journal = JournalAssertions(server.journal)
        let rows = try await journal.lines(
            "SELECT d.seq || ' ' || d.frame_type || ' ' || e.type FROM deliveries d JOIN events e ON e.seq = d.seq "
                + "WHERE d.connection_id = ? ORDER BY d.id", [user.connectionID])
        let seqs = rows.compactMap { Int64($0.replacingOccurrences(of: "\"", with: "").split(separator: " ")[0]) }
        #expect(seqs.count > 20 && seqs == seqs.sorted())
        for row in rows {
            let parts = row.replacingOccurrences(of: "\"", with: "").split(separator: " ")
            #expect(parts.count == 3 && parts[1] == parts[2], "\(row)")
        }
        try await user.close()
    }

    @Test("every delivery is recorded at or after its event; the gaps are measured and printed")
    func deliveryGaps() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "gaps")
        let (runID, _) = try await user.run(IT.sufficient)
        let rows = try await server.journal.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT e.seq, e.type, e.recorded_at, d.sent_at FROM deliveries d JOIN events e ON e.seq = d.seq "
                    + "WHERE d.connection_id = ? AND e.run_id = ? ORDER BY d.id", arguments: [user.connectionID, runID]
            ).map { (seq: $0["seq"] as Int64, type: $0["type"] as String, recorded: $0["recorded_at"] as String,
                     sent: $0["sent_at"] as String) }
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var gaps: [Double] = []
        for row in rows {
            #expect(row.sent >= row.recorded, "\(row.seq) \(row.type) sent \(row.sent) before recorded \(row.recorded)")
            if let sent = formatter.date(from: row.sent), let recorded = formatter.date(from: row.recorded) {
                gaps.append(sent.timeIntervalSince(recorded) * 1000)
            }
        }
        try #require(gaps.count == rows.count && rows.count > 10, "\(rows.count) deliveries, \(gaps.count) gaps")
        let sorted = gaps.sorted()
        print("event→delivery gaps over \(gaps.count) frames (ms): min \(sorted.first ?? 0) median "
            + "\(sorted[sorted.count / 2]) max \(sorted.last ?? 0)")
        try await user.close()
    }

    @Test("the frames of a connection equal its deliveries rows, seq by seq")
    func framesEqualDeliveries() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "fed")
        _ = try await user.run(IT.partial)
        try await JournalAssertions(server.journal).expectDeliveries(
            connectionID: user.connectionID, received: user.client.frames)
        try await user.close()
    }

    @Test("message_received is the first frame of the run and the terminal frame the last, exactly once")
    func runBrackets() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "brackets")
        let (_, frames) = try await user.run(IT.insufficient)
        #expect(frames.first?.type == "message_received")
        #expect(frames.filter { AgentEvent.terminalTypes.contains($0.type ?? "") }.count == 1)
        #expect(frames.last?.type == "run_completed")
        try await user.close()
    }

    // MARK: - A long run

    @Test("during a slow LLM call, ping gets pong and the connection stays open")
    func pingDuringLongRun() async throws {
        let gate = GatedLLM()
        try await withLiveServer(llm: gate) { server in
            let user = try await ITUser.make(server, "ping")
            let runID = try #require(try await user.send(IT.sufficient).runID)
            try await JournalAssertions(server.journal).awaitEvent(.run(runID)) { $0.type == "llm_request" }
            for _ in 0..<3 {
                let start = user.client.frames.count
                try await user.client.send(["type": "ping"])
                try await user.client.awaitFrame(from: start, "pong") { $0.type == "pong" }
            }
            #expect(!user.client.frames.contains { $0.type == "run_completed" })
            #expect(!user.client.isClosed)
            gate.open()
            let frames = try await user.client.awaitRunEnd(runID: runID)
            #expect(frames.last?.type == "run_completed")
            let pongs = user.client.frames.indices.filter { user.client.frames[$0].type == "pong" }
            let end = user.client.frames.firstIndex { $0.type == "run_completed" } ?? 0
            #expect(pongs.count == 3 && pongs.allSatisfy { $0 < end })
            try await user.close()
        }
    }

    @Test("with a slow scripted LLM, reporting's thinking and tool call arrive before the answer is written")
    func progressBeforeSlowAnswer() async throws {
        let llm = ScriptedLLM(behavior: .delayed(by: .milliseconds(1200), agentName: "reporting"))
        try await withLiveServer(llm: llm) { server in
            let user = try await ITUser.make(server, "slow")
            let runID = try #require(try await user.send(IT.partial).runID)
            let thinking = try await user.client.awaitFrame("reporting's thinking") {
                $0.type == "agent_thinking" && $0.agentName == "reporting"
            }
            let start = user.client.frames.count
            try await user.client.send(["type": "ping"])
            try await user.client.awaitFrame(from: start, "pong") { $0.type == "pong" }
            let frames = try await user.client.awaitRunEnd(runID: runID)
            let events = try await JournalAssertions(server.journal).runEvents(runID)
            let response = try #require(events.first { $0.type == "llm_response" })
            #expect((thinking.seq ?? .max) < response.seq)
            #expect(frames.filter { $0.type == "agent_thinking" }.count >= 5)
            let latency = IT.decoded(events).compactMap { if case .llmResponse(let p) = $0 { p.latencyMs } else { nil } }
            #expect(latency.first ?? 0 >= 1200)
            try await user.close()
        }
    }

    @Test("every agent reports progress (agent_thinking) before its first tool, with rising step numbers")
    func progressUpdates() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "progress")
        let (_, frames) = try await user.run(IT.sufficient)
        for agent in IT.sufficientPath {
            let mine = frames.filter { $0.agentName == agent }
            let firstThinking = mine.firstIndex { $0.type == "agent_thinking" }
            let firstTool = mine.firstIndex { $0.type == "tool_executing" }
            #expect(firstThinking != nil && firstTool != nil && (firstThinking ?? 0) < (firstTool ?? 0), "\(agent)")
        }
        try await user.close()
    }

    @Test("tool_completed and agent_completed carry non-negative integer durations")
    func durations() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "dur")
        let (_, frames) = try await user.run(IT.sufficient)
        let timed = frames.filter { $0.type == "tool_completed" || $0.type == "agent_completed" }
        #expect(timed.count == 12)
        #expect(timed.allSatisfy { ($0["duration_ms"]?.intValue ?? -1) >= 0 })
        try await user.close()
    }

    // MARK: - Connections of one user

    @Test("two connections of one user receive the same frames in the same order")
    func twoConnectionsSameFrames() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "twin")
        let (second, _) = try await ITUser.connect(server, token: user.token)
        let (runID, frames) = try await user.run(IT.sufficient)
        let mirrored = try await second.awaitRunEnd(runID: runID)
        #expect(IT.keys(frames) == IT.keys(mirrored))
        #expect(frames.map(\.text) == mirrored.map(\.text))
        try await second.close()
        try await user.close()
    }

    @Test("resume mid-run: the missed frames, resume_completed, then the live ones, none twice")
    func resumeMidRun() async throws {
        let gate = GatedLLM()
        try await withLiveServer(llm: gate) { server in
            let user = try await ITUser.make(server, "resume")
            let received = try await user.send(IT.partial)
            let runID = try #require(received.runID)
            let lastSeen = try #require(received.seq)
            try await user.close()
            try await JournalAssertions(server.journal).awaitEvent(.run(runID)) { $0.type == "llm_request" }
            let (client, _) = try await ITUser.connect(server, token: user.token)
            try await client.send(["type": "resume", "after_seq": Int(lastSeen)])
            try await client.awaitFrame("resume_completed") { $0.type == "resume_completed" }
            gate.open()
            let frames = try await client.awaitRunEnd(runID: runID)
            let expected = try await JournalAssertions(server.journal).runEvents(runID, framesOnly: true)
                .filter { $0.seq > lastSeen }
            #expect(IT.keys(frames) == IT.keys(expected))
            try await client.close()
        }
    }

    @Test("resume after the run re-sends its frames with their original seq and timestamp")
    func resumeAfterRun() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "replay")
        let (runID, frames) = try await user.run(IT.insufficient)
        let (client, _) = try await ITUser.connect(server, token: user.token)
        try await client.send(["type": "resume", "after_seq": 0])
        try await client.awaitFrame("resume_completed") { $0.type == "resume_completed" }
        let replayed = client.frames.filter { $0.runID == runID }
        #expect(IT.keys(replayed) == IT.keys(frames))
        let events = try await JournalAssertions(server.journal).runEvents(runID, framesOnly: true)
        #expect(replayed.map { $0["timestamp"]?.stringValue } == events.map(\.recordedAt))
        try await client.close()
        try await user.close()
    }

    @Test("pong and thread_history go only to the connection that asked")
    func repliesToAskerOnly() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "asker")
        let (other, _) = try await ITUser.connect(server, token: user.token)
        let (runID, frames) = try await user.run(IT.partial)
        try await other.awaitRunEnd(runID: runID)
        try await user.client.send(["type": "ping"])
        try await user.client.send(["type": "get_thread_history", "thread_id": frames.first?.threadID ?? ""])
        let history = try await user.client.awaitFrame("thread_history") { $0.type == "thread_history" }
        #expect(history["messages"]?.arrayValue?.count == 2)
        // The other connection's own ping answer arriving proves it had every earlier frame by then.
        try await other.send(["type": "ping"])
        try await other.awaitFrame("pong") { $0.type == "pong" }
        #expect(other.frames.filter { $0.type == "pong" }.count == 1)
        #expect(!other.frames.contains { $0.type == "thread_history" })
        try await other.close()
        try await user.close()
    }

    @Test("connection_established carries connection_id, user_id and head_seq, and is journaled")
    func connectionEstablished() async throws {
        let server = try await Self.shared.get()
        let issued = try await server.signUp(username: IT.username("est"))
        let client = try await server.connect(token: issued.token)
        let frame = try await client.awaitFrame("connection_established") { $0.type == "connection_established" }
        #expect(frame.userID == issued.userID)
        let connectionID = try #require(frame["connection_id"]?.stringValue)
        let head = try #require(frame["head_seq"]?.intValue)
        let journal = JournalAssertions(server.journal)
        #expect(try await journal.integer(
            "SELECT COUNT(*) FROM events WHERE type = 'connection_opened' AND connection_id = ? AND user_id = ? "
                + "AND seq <= ?", [connectionID, issued.userID, head]) == 1)
        try await client.close()
    }

    @Test("a bad frame gets INVALID_JSON and the connection keeps working")
    func badFrameKeepsConnection() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "bad")
        try await user.client.send(text: "{not json")
        #expect(try await user.client.awaitFrame("error") { $0.type == "error" }.code == "INVALID_JSON")
        let (_, frames) = try await user.run(IT.insufficient)
        #expect(frames.last?.type == "run_completed")
        try await user.close()
    }

    @Test("/metrics counts the frames sent")
    func metricsCountFrames() async throws {
        let server = try await Self.shared.get()
        func framesSent() async throws -> Double {
            let text = try await server.http("GET", "/metrics").body
            return text.split(separator: "\n").filter { $0.hasPrefix("goldenpath_frames_sent_total") }
                .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
        }
        let before = try await framesSent()
        let user = try await ITUser.make(server, "metrics")
        let (_, frames) = try await user.run(IT.partial)
        #expect(try await framesSent() - before >= Double(frames.count))
        try await user.close()
    }

    @Test("two concurrent runs of one user interleave on the connection, each run's frames in order")
    func interleavedRuns() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "inter")
        let first = try #require(try await user.send(IT.sufficient).runID)
        let second = try #require(try await user.send(IT.partial).runID)
        let journal = JournalAssertions(server.journal)
        for runID in [first, second] {
            let frames = try await user.client.awaitRunEnd(runID: runID)
            #expect(IT.keys(frames) == IT.keys(try await journal.runEvents(runID)))
        }
        let seqs = user.client.frames.compactMap(\.seq)
        #expect(seqs == seqs.sorted())
        try await user.close()
    }

    @Test("a connection opened mid-run (no resume) gets the rest of the run live, all after its head_seq")
    func joinMidRun() async throws {
        let gate = GatedLLM()
        try await withLiveServer(llm: gate) { server in
            let user = try await ITUser.make(server, "join")
            let runID = try #require(try await user.send(IT.insufficient).runID)
            try await JournalAssertions(server.journal).awaitEvent(.run(runID)) { $0.type == "llm_request" }
            let late = try await server.connect(token: user.token)
            let established = try await late.awaitFrame("connection_established") { $0.type == "connection_established" }
            let head = Int64(try #require(established["head_seq"]?.intValue))
            gate.open()
            let frames = try await late.awaitRunEnd(runID: runID)
            #expect(frames.allSatisfy { ($0.seq ?? 0) > head })
            let expected = try await JournalAssertions(server.journal).runEvents(runID, framesOnly: true)
                .filter { $0.seq > head }
            #expect(IT.keys(frames) == IT.keys(expected))
            try await late.close()
            try await user.close()
        }
    }

    @Test("a browser-style connection (jwt.<token> subprotocol) gets the same real-time frames")
    func subprotocolClient() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "browser")
        let browser = try await server.connect(token: user.token, transport: .subprotocol)
        try await browser.awaitFrame("connection_established") { $0.type == "connection_established" }
        let (runID, frames) = try await user.run(IT.partial)
        #expect(IT.keys(try await browser.awaitRunEnd(runID: runID)) == IT.keys(frames))
        try await browser.close()
        try await user.close()
    }

    @Test("tool_executing reaches the client while the tool is still running")
    func frameBeforeNextEvent() async throws {
        let tool = GatedTool(wrapping: PlanActionsTool())
        let agents = FaultPlan().replacing(tool).apply(to: AgentsConfiguration())
        try await withLiveServer(agents: agents) { server in
            let user = try await ITUser.make(server, "live")
            let runID = try #require(try await user.send(IT.sufficient).runID)
            let executing = try await user.client.awaitFrame("tool_executing plan_actions") {
                $0.type == "tool_executing" && $0.toolName == "plan_actions"
            }
            let journal = JournalAssertions(server.journal)
            let completedYet = try await journal.integer(
                "SELECT COUNT(*) FROM events WHERE run_id = ? AND type = 'tool_completed' "
                    + "AND json_extract(payload, '$.tool_name') = 'plan_actions'", [runID])
            #expect(completedYet == 0)
            tool.gate.open()
            let frames = try await user.client.awaitRunEnd(runID: runID)
            let completed = frames.first { $0.type == "tool_completed" && $0.toolName == "plan_actions" }
            #expect(completed?["execution_id"] == executing["execution_id"])
            try await user.close()
        }
    }
}
