import AgentRuntime
import Foundation
import GRDB
import Gateway
import GoldenPathTesting
import Journal
import StandardPipeline
import Testing

extension AgentMessageErrorRecoveryTests {
    // MARK: - Journal (database) failures

    /// Sends a message and returns the `error` frame that answers it.
    private func rejectedMessage(_ client: TestWebSocketClient, _ content: String) async throws
        -> TestWebSocketClient.Frame
    {
        let start = client.frames.count
        try await client.send(["type": "user_message", "content": content])
        return try await client.awaitFrame(from: start, "error") { $0.type == "error" }
    }

    @Test(
        "an I/O error mid-run: 503 with the reason, reads served, the run ends run_failed JOURNAL_UNAVAILABLE after",
        arguments: [JournalError.Code.ioError, .readOnly, .diskFull])
    func storageFaultMidRun(code: JournalError.Code) async throws {
        let fault = SwitchableStorageFault()
        let llm = GatedLLM()
        try await withLiveServer(llm: llm, configure: { $0.journalFaultInjector = fault }) { server in
            let (token, client) = try await signedInClient(server, "fault")
            let runID = try await sendMessage(client, content: RecoveryMessages.sufficient)
            try await client.awaitFrame("reporting") { $0.runID == runID && $0.toolName == "llm_report_generation" }
            let acknowledged = try await server.journal.read { db in
                try Int64.fetchAll(db, sql: "SELECT seq FROM events")
            }
            fault.fail(with: code)
            let health = try await server.http("GET", "/healthz")
            #expect(health.status == 503)
            #expect(health.json["error"]?["code"]?.stringValue == "JOURNAL_UNAVAILABLE")
            #expect(health.json["error"]?["message"]?.stringValue?.contains("\(code)") == true)
            llm.open()
            await fault.awaitFailedAppend()
            // Reads keep being served while writes fail.
            let events = try await server.http("GET", "/api/runs/\(runID)/events", token: token.token)
            #expect(events.status == 200)
            #expect(try await server.http("GET", "/api/threads", token: token.token).status == 200)
            fault.clear()
            #expect(try await server.http("GET", "/healthz").status == 200)
            let frames = try await client.awaitRunEnd(runID: runID)
            let end = try #require(frames.last)
            #expect(end.type == "run_failed")
            #expect(end["error_code"]?.stringValue == "JOURNAL_UNAVAILABLE")
            let present = Set(try await server.journal.read { db in try Int64.fetchAll(db, sql: "SELECT seq FROM events") })
            #expect(acknowledged.allSatisfy(present.contains), "an acknowledged event was lost")
            let next = try await sendMessage(client, content: RecoveryMessages.insufficient)
            #expect(try await client.awaitRunEnd(runID: next).last?.type == "run_completed")
            try await expectJournalSound(server.journal)
            try await client.close()
        }
    }

    @Test("a run whose events fail to append ends run_failed JOURNAL_UNAVAILABLE once the journal is writable")
    func runFailsWithJournalUnavailable() async throws {
        let fault = SwitchableStorageFault()
        let llm = GatedLLM()
        try await withLiveServer(llm: llm, configure: { $0.journalFaultInjector = fault }) { server in
            let (_, client) = try await signedInClient(server, "fault-run")
            let runID = try await sendMessage(client, content: RecoveryMessages.insufficient)
            try await client.awaitFrame("reporting") { $0.toolName == "llm_report_generation" }
            fault.fail()
            llm.open()
            // The pipeline's next append (llm_response) fails; the terminal event is retried until it lands.
            await fault.awaitFailedAppend()
            await fault.awaitFailedAppend()
            fault.clear()
            let frames = try await client.awaitRunEnd(runID: runID)
            #expect(frames.last?.type == "run_failed")
            #expect(frames.last?["error_code"]?.stringValue == "JOURNAL_UNAVAILABLE")
            #expect(frames.last?["message"]?.stringValue?.contains("/") == false)
            let types = try await runEventTypes(server.journal, runID: runID)
            #expect(!types.contains("llm_response"))
            #expect(types.last == "run_failed")
            try await client.close()
        }
    }

    @Test("an ordered append lost at COMMIT: the run stops at its next step, its stream has no hole, it ends run_failed JOURNAL_UNAVAILABLE")
    func lostOrderedAppend() async throws {
        let fault = SwitchableStorageFault()
        let llm = GatedLLM()
        try await withLiveServer(llm: llm, configure: { $0.journalFaultInjector = fault }) { server in
            let (_, client) = try await signedInClient(server, "fault-lost")
            let runID = try await sendMessage(client, content: RecoveryMessages.insufficient)
            let tool = try await client.awaitFrame("reporting") { $0.toolName == "llm_report_generation" }
            let toolSeq = try #require(tool.seq)
            // The report's llm_request (ordered) has committed: the run now waits in the gated model.
            try await JournalAssertions(server.journal).awaitEvent(.run(runID)) {
                $0.type == "llm_request" && $0.seq > toolSeq
            }
            let before = try await runEventTypes(server.journal, runID: runID)
            fault.failAtCommit()
            llm.open()
            // The answer's events are answered in order, then lost with their batch; the run's next append is
            // refused with the loss, and the terminal event is retried until it lands.
            await fault.awaitFailedAppend()
            await fault.awaitFailedAppend()
            fault.clear()
            let frames = try await client.awaitRunEnd(runID: runID)
            #expect(frames.last?.type == "run_failed")
            #expect(frames.last?["error_code"]?.stringValue == "JOURNAL_UNAVAILABLE")
            let events = try await server.journal.stream(EventStreams.run(runID))
            #expect(events.map(\.type) == before + ["run_failed"], "only what committed before the fault, then the end")
            // No hole: the step numbers of the run's events follow each other, and the end is caused by the last.
            // (`<run_id>:<n>`; the user_message has the client's id, streamed pieces `<run_id>:r<k>:<n>`.)
            let steps = events.dropLast().compactMap { event -> Int? in
                let parts = event.eventID.split(separator: ":")
                return parts.count == 2 && parts[0] == runID ? Int(parts[1]) : nil
            }
            #expect(steps.count > 10 && steps == Array(2..<(2 + steps.count)))
            #expect(events.last?.causationSeq == events.dropLast().last?.seq)
            try await expectJournalSound(server.journal)
            try await client.close()
        }
    }

    @Test("a frame whose delivery cannot be recorded is held, not written, not dropped: sent once when the journal heals")
    func framesAreHeldDuringAFault() async throws {
        let fault = SwitchableStorageFault()
        let tool = GatedTool(wrapping: ExtractMetricsTool())
        try await withLiveServer(agents: agentsReplacing(tool), configure: { $0.journalFaultInjector = fault }) { server in
            let (_, client) = try await signedInClient(server, "held")
            let connectionID = try #require(client.frames.first { $0.type == "connection_established" }?["connection_id"]?.stringValue)
            let runID = try await sendMessage(client, content: RecoveryMessages.sufficient)
            try await client.awaitFrame("the gated tool") { $0.type == "tool_executing" && $0.toolName == "extract_metrics" }
            // The pipeline waits in the tool and every delivery so far is committed: the writer is idle. The next
            // commit is the tool's tool_completed (it passes); its delivery and everything after fail.
            fault.fail(afterCommits: 1)
            tool.gate.open()
            await fault.awaitFailedAppend()
            await fault.awaitFailedAppend()
            // The connection stays open and answers; the committed tool_completed is not written without its record.
            let start = client.frames.count
            try await client.send(["type": "ping"])
            try await client.awaitFrame(from: start, "pong") { $0.type == "pong" }
            #expect(!client.isClosed)
            #expect(!client.frames.contains { $0.runID == runID && $0.type == "tool_completed" && $0.toolName == "extract_metrics" })
            fault.clear()
            // Without a resume from the client: the held frame, then the run's end.
            let frames = try await client.awaitRunEnd(runID: runID)
            let tail = frames.drop { !($0.type == "tool_executing" && $0.toolName == "extract_metrics") }.dropFirst()
            #expect(tail.map(\.type) == ["tool_completed", "run_failed"])
            #expect(tail.first?.toolName == "extract_metrics")
            #expect(tail.last?["error_code"]?.stringValue == "JOURNAL_UNAVAILABLE")
            let seqs = client.frames.compactMap(\.seq)
            #expect(seqs == seqs.sorted() && Set(seqs).count == seqs.count)
            // Every frame written has its delivery row, and no delivery row lacks its frame.
            let delivered = try await server.journal.read { db in
                try Int64.fetchAll(
                    db, sql: "SELECT seq FROM deliveries WHERE connection_id = ? ORDER BY seq", arguments: [connectionID])
            }
            #expect(delivered == seqs)
            #expect(!client.isClosed)
            try await expectJournalSound(server.journal)
            try await client.close()
        }
    }

    @Test("a resume while the journal fails answers JOURNAL_UNAVAILABLE; asked again after, it completes")
    func resumeDuringFault() async throws {
        let fault = SwitchableStorageFault()
        try await withLiveServer(configure: { $0.journalFaultInjector = fault }) { server in
            let (token, client) = try await signedInClient(server, "fault-resume")
            let runID = try await sendMessage(client, content: RecoveryMessages.insufficient)
            let frames = try await client.awaitRunEnd(runID: runID)
            // A second connection that missed the run asks for it while the journal cannot record deliveries.
            let late = try await server.connect(token: token.token)
            try await late.awaitFrame("connection_established") { $0.type == "connection_established" }
            fault.fail()
            try await late.send(["type": "resume", "after_seq": 0])
            let refused = try await late.awaitFrame("an answer to resume") {
                $0.type == "resume_completed" || $0.type == "error"
            }
            #expect(refused.code == "JOURNAL_UNAVAILABLE")
            #expect(!late.frames.contains { $0.seq != nil }, "a frame written without its delivery record")
            #expect(!late.isClosed)
            fault.clear()
            let start = late.frames.count
            try await late.send(["type": "resume", "after_seq": 0])
            try await late.awaitFrame(from: start, "resume_completed") { $0.type == "resume_completed" }
            #expect(late.frames.filter { $0.runID == runID }.map(\.seq) == frames.map(\.seq))
            try await late.close()
            try await client.close()
        }
    }

    @Test("a connection opened while the journal fails gets JOURNAL_UNAVAILABLE and 1013; reconnecting after works")
    func connectDuringFault() async throws {
        let fault = SwitchableStorageFault()
        try await withLiveServer(configure: { $0.journalFaultInjector = fault }) { server in
            let token = try await server.signUp(username: "fault-connect")
            fault.fail(with: .diskFull)
            let (refused, code) = try await connectExpectingRefusal(server, token: token.token)
            #expect(code == 1013)
            let error = try #require(refused.frames.first { $0.type == "error" }, "\(refused.summary())")
            #expect(error.code == "JOURNAL_UNAVAILABLE")
            #expect(!refused.frames.contains { $0.type == "connection_established" })
            fault.clear()
            let client = try await server.connect(token: token.token)
            try await client.awaitFrame("connection_established") { $0.type == "connection_established" }
            let runID = try await sendMessage(client, content: RecoveryMessages.insufficient)
            #expect(try await client.awaitRunEnd(runID: runID).last?.type == "run_completed")
            try await expectJournalSound(server.journal)
            try await client.close()
        }
    }

    @Test("a message sent while the journal fails gets JOURNAL_UNAVAILABLE; the socket stays open and works after")
    func messageDuringFault() async throws {
        let fault = SwitchableStorageFault()
        try await withLiveServer(configure: { $0.journalFaultInjector = fault }) { server in
            let (_, client) = try await signedInClient(server, "fault-msg")
            fault.fail()
            let error = try await rejectedMessage(client, "Is anyone there?")
            #expect(error.code == "JOURNAL_UNAVAILABLE")
            #expect(!client.isClosed)
            #expect(try await count(server.journal, "SELECT COUNT(*) FROM events WHERE type = 'user_message'") == 0)
            fault.clear()
            let runID = try await sendMessage(client, content: "Is anyone there?")
            #expect(try await client.awaitRunEnd(runID: runID).last?.type == "run_completed")
            try await client.close()
        }
    }

    @Test("a full disk (max_page_count): appends fail disk_full, /healthz 503 then 200, recovery is automatic")
    func diskFull() async throws {
        try await withLiveServer { server in
            let (token, client) = try await signedInClient(server, "full")
            let first = try await sendMessage(client, content: RecoveryMessages.insufficient)
            try await client.awaitRunEnd(runID: first)
            try await server.journal.write { db in
                let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
                try db.execute(sql: "PRAGMA max_page_count = \(pages)")
            }
            var failure: JournalError?
            for index in 0..<10_000 {
                do {
                    try await server.journal.append(
                        NewEvent(type: "test_filler", payload: #"{"n":\#(index),"pad":"\#(String(repeating: "x", count: 200))"}"#),
                        to: "test:filler")
                } catch let error as JournalError {
                    failure = error
                    break
                }
            }
            #expect(failure?.code == .diskFull)
            let health = try await server.http("GET", "/healthz")
            #expect(health.status == 503)
            #expect(health.json["error"]?["message"]?.stringValue?.contains("disk_full") == true)
            #expect(try await rejectedMessage(client, "Anything?").code == "JOURNAL_UNAVAILABLE")
            #expect(try await server.http("GET", "/api/runs/\(first)", token: token.token).status == 200)
            try await server.journal.write { db in try db.execute(sql: "PRAGMA max_page_count = 1073741823") }
            #expect(try await server.http("GET", "/healthz").status == 200)
            let next = try await sendMessage(client, content: RecoveryMessages.insufficient)
            #expect(try await client.awaitRunEnd(runID: next).last?.type == "run_completed")
            try await expectJournalSound(server.journal)
            try await client.close()
        }
    }

    @Test("another process holding the write lock past the busy timeout: 503 busy, reads served, then recovery")
    func busyFromAnotherProcess() async throws {
        try await withLiveServer(configure: { $0.journalBusyTimeout = .seconds(1) }) { server in
            let (token, client) = try await signedInClient(server, "busy")
            let first = try await sendMessage(client, content: RecoveryMessages.insufficient)
            try await client.awaitRunEnd(runID: first)
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            configuration.allowsUnsafeTransactions = true  // the lock is held across accesses on purpose
            let other = try DatabaseQueue(path: server.journalPath, configuration: configuration)
            try await other.writeWithoutTransaction { db in try db.execute(sql: "BEGIN EXCLUSIVE") }
            let health = try await server.http("GET", "/healthz")
            #expect(health.status == 503)
            #expect(health.json["error"]?["message"]?.stringValue?.contains("busy") == true)
            #expect(try await server.http("GET", "/api/runs/\(first)/events", token: token.token).status == 200)
            #expect(try await rejectedMessage(client, "Blocked?").code == "JOURNAL_UNAVAILABLE")
            try await other.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
            try await other.close()
            #expect(try await server.http("GET", "/healthz").status == 200)
            let next = try await sendMessage(client, content: RecoveryMessages.insufficient)
            #expect(try await client.awaitRunEnd(runID: next).last?.type == "run_completed")
            try await expectJournalSound(server.journal)
            try await client.close()
        }
    }

    @Test("a closed journal: /healthz 503, a message gets JOURNAL_UNAVAILABLE, nothing is acknowledged falsely")
    func closedJournal() async throws {
        try await withLiveServer { server in
            let (_, client) = try await signedInClient(server, "closed")
            try server.journal.close()
            #expect(try await server.http("GET", "/healthz").status == 503)
            #expect(try await rejectedMessage(client, "Still there?").code == "JOURNAL_UNAVAILABLE")
            #expect(!client.frames.contains { $0.type == "message_received" })
            try? await client.close()
        }
    }
}
