import AgentRuntime
import Foundation
import GRDB
import Gateway
import GoldenPathTesting
import Journal
import StandardPipeline
import Synchronization
import Testing

/// N users, each with a connection and a unique canary, each sending one message (outcome by index) at once;
/// kept once per N and shared by the isolation cases that read it.
struct ITIsolationScenario: Sendable {
    struct Party: Sendable {
        let user: ITUser
        let canary: String
        let runID: String
        let frames: [TestWebSocketClient.Frame]
    }

    let server: LiveServer
    let parties: [Party]

    var canaries: [String: String] { Dictionary(uniqueKeysWithValues: parties.map { ($0.user.userID, $0.canary) }) }
    var received: [String: [TestWebSocketClient.Frame]] {
        Dictionary(uniqueKeysWithValues: parties.map { ($0.user.userID, $0.user.client.frames) })
    }

    static func run(users count: Int, on server: LiveServer) async throws -> ITIsolationScenario {
        let users = try await withThrowingTaskGroup(of: ITUser.self) { group in
            for _ in 0..<count { group.addTask { try await ITUser.make(server, "iso\(count)") } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let parties = try await withThrowingTaskGroup(of: Party.self) { group in
            for (index, user) in users.enumerated() {
                group.addTask {
                    let canary = IT.canary()
                    let request = IT.outcomes[index % 3].request + " Reference \(canary)."
                    let (runID, frames) = try await user.run(request)
                    return Party(user: user, canary: canary, runID: runID, frames: frames)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        return ITIsolationScenario(server: server, parties: parties)
    }
}

/// The scenarios, run once per user count.
final class ITScenarioCache: Sendable {
    private let tasks = Mutex<[Int: Task<ITIsolationScenario, any Error>]>([:])
    private let server: ITSharedServer

    init(server: ITSharedServer) {
        self.server = server
    }

    func scenario(users count: Int) async throws -> ITIsolationScenario {
        let server = self.server
        let task = tasks.withLock { tasks -> Task<ITIsolationScenario, any Error> in
            if let task = tasks[count] { return task }
            let task = Task { try await ITIsolationScenario.run(users: count, on: try await server.get()) }
            tasks[count] = task
            return task
        }
        return try await task.value
    }
}

/// Concurrent users stay apart: their runs, agent instances, frames, LLM prompts, tool inputs and events —
/// checked with canary tokens, the `cross_user_*` views and the deliveries of each connection.
@Suite("Multi-user agent message isolation", .timeLimit(.minutes(5)))
struct MultiUserAgentMessageIsolationTests {
    static let shared = ITSharedServer()
    static let scenarios = ITScenarioCache(server: shared)

    // MARK: - 2, 10 and 50 concurrent users

    @Test("the canary check finds a leak: each user's canary credited to the other is found in events, deliveries and frames")
    func canaryCheckFindsLeaks() async throws {
        let scenario = try await Self.scenarios.scenario(users: 2)
        let users = scenario.canaries.keys.sorted()
        let swapped = [users[0]: scenario.canaries[users[1]] ?? "", users[1]: scenario.canaries[users[0]] ?? ""]
        let leaks = try await JournalAssertions(scenario.server.journal)
            .canaryLeaks(canaries: swapped, received: scenario.received)
        for owner in users {
            let own = leaks.filter { $0.hasPrefix("\(owner)'s canary") }
            #expect(own.contains { $0.contains(" in event ") }, "\(own.prefix(3))")
            #expect(own.contains { $0.contains(" in delivery of ") }, "\(own.prefix(3))")
            #expect(own.contains { $0.contains(" in a frame received by ") }, "\(own.prefix(3))")
        }
    }

    @Test("no canary leaks into another user's events, deliveries or frames; cross-user views empty", arguments: [2, 10, 50])
    func canaries(users: Int) async throws {
        let scenario = try await Self.scenarios.scenario(users: users)
        #expect(scenario.parties.count == users)
        let journal = JournalAssertions(scenario.server.journal)
        #expect(try await journal.canaryLeaks(canaries: scenario.canaries, received: scenario.received).isEmpty)
        #expect(try await journal.crossUserDeliveries().isEmpty)
        #expect(try await journal.crossUserEvents().isEmpty)
        for party in scenario.parties {
            #expect(try await journal.integer(
                "SELECT COUNT(*) FROM events WHERE user_id = ? AND payload LIKE ?",
                [party.user.userID, "%\(party.canary)%"]) > 0, "the canary must be in its owner's events")
        }
    }

    @Test("each connection received exactly its owner's run frames, matching its deliveries rows", arguments: [2, 10, 50])
    func framesOnlyToOwner(users: Int) async throws {
        let scenario = try await Self.scenarios.scenario(users: users)
        let journal = JournalAssertions(scenario.server.journal)
        for party in scenario.parties {
            let frames = party.user.client.frames
            #expect(frames.allSatisfy { $0.userID == nil || $0.userID == party.user.userID })
            #expect(frames.allSatisfy { $0.runID == nil || $0.runID == party.runID })
            let expected = try await journal.runEvents(party.runID, framesOnly: true)
            #expect(IT.keys(party.frames) == IT.keys(expected))
            let lastSeq = party.frames.compactMap(\.seq).max()
            let problems = try await journal.deliveryMismatches(
                connectionID: party.user.connectionID, received: frames, throughSeq: lastSeq)
            #expect(problems.isEmpty, "\(problems)")
            #expect(try await journal.integer(
                "SELECT COUNT(*) FROM deliveries WHERE connection_id = ? AND recipient_user_id IS NOT ?",
                [party.user.connectionID, party.user.userID]) == 0)
        }
    }

    @Test("every run has its own run, thread and agent instances", arguments: [2, 10, 50])
    func separateInstances(users: Int) async throws {
        let scenario = try await Self.scenarios.scenario(users: users)
        let journal = JournalAssertions(scenario.server.journal)
        var seen: Set<String> = []
        for party in scenario.parties {
            let instances = IT.started(try await journal.runEvents(party.runID)).map(\.instanceID)
            #expect(instances.count >= 4)
            #expect(seen.isDisjoint(with: instances), "instance ids shared between runs")
            seen.formUnion(instances)
        }
        #expect(Set(scenario.parties.map(\.runID)).count == users)
        #expect(Set(scenario.parties.compactMap { $0.frames.first?.threadID }).count == users)
    }

    @Test("each LLM prompt carries its own user's canary and no other", arguments: [2, 10, 50])
    func promptsIsolated(users: Int) async throws {
        let scenario = try await Self.scenarios.scenario(users: users)
        let journal = JournalAssertions(scenario.server.journal)
        let canaries = scenario.parties.map(\.canary)
        for party in scenario.parties {
            let prompts = IT.llmRequests(try await journal.runEvents(party.runID))
                .flatMap(\.messages).map(\.content).joined(separator: "\n")
            #expect(prompts.contains(party.canary))
            for canary in canaries where canary != party.canary {
                #expect(!prompts.contains(canary), "another user's canary in \(party.user.username)'s prompt")
            }
        }
    }

    @Test("each tool input carries its own user's request only", arguments: [2, 10, 50])
    func toolInputsIsolated(users: Int) async throws {
        let scenario = try await Self.scenarios.scenario(users: users)
        let journal = JournalAssertions(scenario.server.journal)
        let canaries = scenario.parties.map(\.canary)
        for party in scenario.parties {
            let calls = IT.toolCalls(try await journal.runEvents(party.runID))
            let classify = calls.first { $0.toolName == "classify_request" }
            #expect(classify?.parameters["request"]?.stringValue?.contains(party.canary) == true)
            let inputs = calls.map(\.parameters.jsonText).joined()
            for canary in canaries where canary != party.canary { #expect(!inputs.contains(canary)) }
        }
    }

    @Test("after 50 concurrent users the journal verifies and run_summary owners match the events")
    func verifiesAfterFifty() async throws {
        let scenario = try await Self.scenarios.scenario(users: 50)
        let journal = JournalAssertions(scenario.server.journal)
        let report = try await scenario.server.journal.verify()
        #expect(report.failures.isEmpty, "\(report.failures)")
        for party in scenario.parties {
            #expect(try await journal.integer(
                "SELECT COUNT(*) FROM run_summary WHERE run_id = ? AND user_id = ? AND status = 'completed'",
                [party.runID, party.user.userID]) == 1)
        }
    }

    @Test("frames_by_user shows each of ten users only their own events")
    func framesByUser() async throws {
        let scenario = try await Self.scenarios.scenario(users: 10)
        let journal = JournalAssertions(scenario.server.journal)
        for party in scenario.parties {
            #expect(try await journal.integer(
                "SELECT COUNT(*) FROM frames_by_user f JOIN events e ON e.seq = f.seq "
                    + "WHERE f.recipient_user_id = ? AND e.user_id IS NOT ?", [party.user.userID, party.user.userID]) == 0)
            #expect(try await journal.integer(
                "SELECT COUNT(*) FROM frames_by_user WHERE recipient_user_id = ?", [party.user.userID]) >= party.frames.count)
        }
    }

    @Test("each of ten users' /api/threads lists exactly their own thread")
    func threadsPerUser() async throws {
        let scenario = try await Self.scenarios.scenario(users: 10)
        for party in scenario.parties {
            let answer = try await scenario.server.http("GET", "/api/threads", token: party.user.token)
            let ids = (answer.json["threads"]?.arrayValue ?? []).compactMap { $0["thread_id"]?.stringValue }
            #expect(ids == [party.frames.first?.threadID].compactMap { $0 })
        }
    }

    // MARK: - Connections

    @Test("two users with three connections each: every connection gets all of its owner's frames, only those")
    func severalConnections() async throws {
        let server = try await Self.shared.get()
        var groups: [(ITUser, [TestWebSocketClient])] = []
        for _ in 0..<2 {
            let user = try await ITUser.make(server, "multi")
            var clients = [user.client]
            for _ in 0..<2 { clients.append(try await ITUser.connect(server, token: user.token).0) }
            groups.append((user, clients))
        }
        let runs = try await withThrowingTaskGroup(of: (String, String).self) { group in
            for (user, _) in groups {
                group.addTask { (user.userID, try await user.run(IT.partial).runID) }
            }
            return try await group.reduce(into: [String: String]()) { $0[$1.0] = $1.1 }
        }
        for (user, clients) in groups {
            let runID = try #require(runs[user.userID])
            var sequences: [[String]] = []
            for client in clients {
                sequences.append(IT.keys(try await client.awaitRunEnd(runID: runID)))
                #expect(client.frames.allSatisfy { $0.userID == nil || $0.userID == user.userID })
            }
            #expect(Set(sequences).count == 1 && sequences[0].count > 10)
            for client in clients { try await client.close() }
        }
    }

    @Test("a connected user who sends nothing receives no run frame while others run")
    func idleUserReceivesNothing() async throws {
        let server = try await Self.shared.get()
        let idle = try await ITUser.make(server, "idle")
        let busy = try await ITUser.make(server, "busy")
        let (runID, _) = try await busy.run(IT.sufficient)
        // A ping answered after the run ended proves the idle connection had every frame sent to it by then.
        try await idle.client.send(["type": "ping"])
        try await idle.client.awaitFrame("pong") { $0.type == "pong" }
        #expect(idle.client.frames.allSatisfy { $0.runID == nil && $0.seq == nil }, "\(idle.client.summary())")
        #expect(try await JournalAssertions(server.journal).integer(
            "SELECT COUNT(*) FROM deliveries d JOIN events e ON e.seq = d.seq WHERE d.connection_id = ? AND e.run_id = ?",
            [idle.connectionID, runID]) == 0)
        try await idle.close()
        try await busy.close()
    }

    @Test("resume from 0 re-sends only the resuming user's frames")
    func resumeIsolated() async throws {
        let server = try await Self.shared.get()
        let alice = try await ITUser.make(server, "ra")
        let bob = try await ITUser.make(server, "rb")
        let (aliceRun, _) = try await alice.run(IT.partial)
        let (bobRun, _) = try await bob.run(IT.insufficient)
        let (client, _) = try await ITUser.connect(server, token: bob.token)
        try await client.send(["type": "resume", "after_seq": 0])
        try await client.awaitFrame("resume_completed") { $0.type == "resume_completed" }
        #expect(!client.frames.contains { $0.runID == aliceRun })
        #expect(client.frames.contains { $0.runID == bobRun && $0.type == "run_completed" })
        #expect(client.frames.allSatisfy { $0.userID == nil || $0.userID == bob.userID })
        try await client.close()
        try await alice.close()
        try await bob.close()
    }

    @Test("a second connection opened mid-run receives only its own user's live frames")
    func connectionOpenedMidRun() async throws {
        let gate = GatedLLM()
        try await withLiveServer(llm: gate) { server in
            let alice = try await ITUser.make(server, "mida")
            let bob = try await ITUser.make(server, "midb")
            let aliceRun = try #require(try await alice.send(IT.partial).runID)
            let bobRun = try #require(try await bob.send(IT.insufficient).runID)
            let journal = JournalAssertions(server.journal)
            try await journal.awaitEvent(.run(aliceRun)) { $0.type == "llm_request" }
            let (late, _) = try await ITUser.connect(server, token: alice.token)
            gate.open()
            let frames = try await late.awaitRunEnd(runID: aliceRun)
            #expect(frames.last?.type == "run_completed")
            try await bob.client.awaitRunEnd(runID: bobRun)
            #expect(!late.frames.contains { $0.runID == bobRun })
            try await late.close()
            try await alice.close()
            try await bob.close()
        }
    }

    @Test("one user's connection closing mid-run leaves another user's run whole")
    func closingDoesNotAffectOthers() async throws {
        let gate = GatedLLM()
        try await withLiveServer(llm: gate) { server in
            let alice = try await ITUser.make(server, "closea")
            let bob = try await ITUser.make(server, "closeb")
            let aliceRun = try #require(try await alice.send(IT.sufficient).runID)
            let bobRun = try #require(try await bob.send(IT.sufficient).runID)
            try await JournalAssertions(server.journal).awaitEvent(.run(bobRun)) { $0.type == "llm_request" }
            try await bob.close()
            gate.open()
            let frames = try await alice.client.awaitRunEnd(runID: aliceRun)
            #expect(EventPattern.goldenPath(agents: IT.sufficientPath, framesOnly: true)
                .mismatch(frames.map(EventSummary.init)) == nil)
            let journal = JournalAssertions(server.journal)
            try await journal.awaitRunEnd(bobRun)
            #expect(try await journal.runEvents(bobRun).last?.type == "run_completed")
            try await alice.close()
        }
    }

    // MARK: - Foreign threads and runs

    @Test("a message into another user's thread is THREAD_NOT_FOUND and leaves that thread unchanged")
    func foreignThreadMessage() async throws {
        let server = try await Self.shared.get()
        let alice = try await ITUser.make(server, "fta")
        let bob = try await ITUser.make(server, "ftb")
        let (_, frames) = try await alice.run(IT.partial)
        let threadID = try #require(frames.first?.threadID)
        try await bob.client.send(["type": "user_message", "content": "hijack", "thread_id": threadID])
        #expect(try await bob.client.awaitFrame("error") { $0.type == "error" }.code == "THREAD_NOT_FOUND")
        let messages = try await server.http("GET", "/api/threads/\(threadID)/messages", token: alice.token)
        #expect(messages.json["messages"]?.arrayValue?.count == 2)
        #expect(try await JournalAssertions(server.journal).integer(
            "SELECT COUNT(*) FROM events WHERE thread_id = ? AND user_id IS NOT ?", [threadID, alice.userID]) == 0)
        try await alice.close()
        try await bob.close()
    }

    @Test("another user's run and its events are 404 over REST")
    func foreignRunREST() async throws {
        let server = try await Self.shared.get()
        let alice = try await ITUser.make(server, "fra")
        let bob = try await ITUser.make(server, "frb")
        let (runID, _) = try await alice.run(IT.partial)
        #expect(try await server.http("GET", "/api/runs/\(runID)", token: bob.token).status == 404)
        #expect(try await server.http("GET", "/api/runs/\(runID)/events", token: bob.token).status == 404)
        #expect(try await server.http("GET", "/api/runs/\(runID)", token: alice.token).status == 200)
        try await alice.close()
        try await bob.close()
    }

    @Test("another user's thread transcript is 404 and absent from their thread list")
    func foreignThreadREST() async throws {
        let server = try await Self.shared.get()
        let alice = try await ITUser.make(server, "fha")
        let bob = try await ITUser.make(server, "fhb")
        let (_, frames) = try await alice.run(IT.insufficient)
        let threadID = try #require(frames.first?.threadID)
        let answer = try await server.http("GET", "/api/threads/\(threadID)/messages", token: bob.token)
        #expect(answer.status == 404)
        #expect(!answer.body.contains(IT.insufficient))
        let list = try await server.http("GET", "/api/threads", token: bob.token)
        #expect(!list.body.contains(threadID))
        try await alice.close()
        try await bob.close()
    }

    @Test("get_thread_history of another user's thread reveals nothing")
    func foreignThreadHistory() async throws {
        let server = try await Self.shared.get()
        let alice = try await ITUser.make(server, "gha")
        let bob = try await ITUser.make(server, "ghb")
        let (_, frames) = try await alice.run(IT.partial)
        let threadID = try #require(frames.first?.threadID)
        try await bob.client.send(["type": "get_thread_history", "thread_id": threadID])
        let answer = try await bob.client.awaitFrame("the answer") { $0.type == "error" || $0.type == "thread_history" }
        #expect(answer.code == "THREAD_NOT_FOUND", "\(answer)")
        #expect(!answer.text.contains(IT.partial))
        try await alice.close()
        try await bob.close()
    }

    @Test("stop_agent on another user's run is RUN_NOT_FOUND and the run completes")
    func foreignStop() async throws {
        let gate = GatedLLM()
        try await withLiveServer(llm: gate) { server in
            let alice = try await ITUser.make(server, "sa")
            let bob = try await ITUser.make(server, "sb")
            let runID = try #require(try await alice.send(IT.partial).runID)
            try await JournalAssertions(server.journal).awaitEvent(.run(runID)) { $0.type == "llm_request" }
            try await bob.client.send(["type": "stop_agent", "run_id": runID])
            #expect(try await bob.client.awaitFrame("error") { $0.type == "error" }.code == "RUN_NOT_FOUND")
            gate.open()
            #expect(try await alice.client.awaitRunEnd(runID: runID).last?.type == "run_completed")
            try await alice.close()
            try await bob.close()
        }
    }

    // MARK: - Agent state

    @Test("the same request from two users at once: same path, separate runs and instances, own events")
    func sameRequestTwoUsers() async throws {
        let server = try await Self.shared.get()
        let alice = try await ITUser.make(server, "samea")
        let bob = try await ITUser.make(server, "sameb")
        async let a = alice.run(IT.sufficient)
        async let b = bob.run(IT.sufficient)
        let (aliceRun, bobRun) = try await (a.runID, b.runID)
        let journal = JournalAssertions(server.journal)
        let aliceEvents = try await journal.runEvents(aliceRun)
        let bobEvents = try await journal.runEvents(bobRun)
        #expect(aliceEvents.map(\.type) == bobEvents.map(\.type))
        #expect(aliceEvents.allSatisfy { $0.userID == alice.userID })
        #expect(bobEvents.allSatisfy { $0.userID == bob.userID })
        #expect(Set(IT.started(aliceEvents).map(\.instanceID)).isDisjoint(with: IT.started(bobEvents).map(\.instanceID)))
        try await alice.close()
        try await bob.close()
    }

    @Test("each user's figures stay in that user's tool results")
    func figuresStayWithTheirUser() async throws {
        let server = try await Self.shared.get()
        let alice = try await ITUser.make(server, "figa")
        let bob = try await ITUser.make(server, "figb")
        async let a = alice.run("Our bill is $12,345 a month for 41 servers. Cut the cost.")
        async let b = bob.run("Our bill is $98,765 a month for 7 servers. Cut the cost.")
        let (aliceRun, bobRun) = try await (a.runID, b.runID)
        let journal = JournalAssertions(server.journal)
        let aliceMetrics = IT.toolResults(try await journal.runEvents(aliceRun))
            .first { $0.toolName == "extract_metrics" }?.results.jsonText ?? ""
        let bobMetrics = IT.toolResults(try await journal.runEvents(bobRun))
            .first { $0.toolName == "extract_metrics" }?.results.jsonText ?? ""
        #expect(aliceMetrics.contains("12,345") && !aliceMetrics.contains("98,765"))
        #expect(bobMetrics.contains("98,765") && !bobMetrics.contains("12,345"))
        #expect(try await journal.integer(
            "SELECT COUNT(*) FROM events WHERE user_id = ? AND payload LIKE '%98,765%'", [alice.userID]) == 0)
        try await alice.close()
        try await bob.close()
    }

    @Test("the same client_message_id from two users starts two runs")
    func clientMessageIDPerUser() async throws {
        let server = try await Self.shared.get()
        let alice = try await ITUser.make(server, "cma")
        let bob = try await ITUser.make(server, "cmb")
        var runs: [String] = []
        for user in [alice, bob] {
            try await user.client.send(["type": "user_message", "content": IT.partial, "client_message_id": "same-id"])
            let received = try await user.client.awaitFrame("message_received") { $0.type == "message_received" }
            let runID = try #require(received.runID)
            try await user.client.awaitRunEnd(runID: runID)
            runs.append(runID)
        }
        #expect(Set(runs).count == 2)
        try await alice.close()
        try await bob.close()
    }

    @Test("concurrent users with different requests each get their own hand-off")
    func handOffPerUser() async throws {
        let server = try await Self.shared.get()
        let results = try await withThrowingTaskGroup(of: (String, String).self) { group in
            for outcome in IT.outcomes {
                group.addTask {
                    let user = try await ITUser.make(server, "ho")
                    let runID = try await user.run(outcome.request).runID
                    try await user.close()
                    return (runID, outcome.sufficiency)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let journal = JournalAssertions(server.journal)
        for (runID, sufficiency) in results {
            for call in IT.toolCalls(try await journal.runEvents(runID)) where call.agentName != "triage" {
                #expect(call.parameters["data_sufficiency"]?.stringValue == sufficiency)
            }
        }
    }

    @Test("an LLM fault on one call degrades only the run that made it")
    func faultStaysInItsRun() async throws {
        try await withLiveServer(llm: FaultPlan().llm(.fail(.unavailable), calls: 2...2).makeLLM()) { server in
            var degraded: [Bool] = []
            for _ in 0..<3 {
                let user = try await ITUser.make(server, "fault")
                degraded.append(try await user.run(IT.insufficient).frames.last?["degraded"]?.boolValue ?? false)
                try await user.close()
            }
            #expect(degraded == [false, true, false])
        }
    }

    @Test("one user's two concurrent runs beside another user's: each connection gets both own runs, none other")
    func twoRunsBesideAnother() async throws {
        let server = try await Self.shared.get()
        let alice = try await ITUser.make(server, "twoa")
        let bob = try await ITUser.make(server, "twob")
        let first = try #require(try await alice.send(IT.partial).runID)
        let bobRun = try #require(try await bob.send(IT.sufficient).runID)
        let second = try #require(try await alice.send(IT.insufficient).runID)
        try await alice.client.awaitRunEnd(runID: first)
        try await alice.client.awaitRunEnd(runID: second)
        try await bob.client.awaitRunEnd(runID: bobRun)
        #expect(Set(alice.client.frames.compactMap(\.runID)) == [first, second])
        #expect(Set(bob.client.frames.compactMap(\.runID)) == [bobRun])
        try await alice.close()
        try await bob.close()
    }

    @Test("fifty users: each received one message_received and one run_completed, for its own run")
    func oneAnswerEachOfFifty() async throws {
        let scenario = try await Self.scenarios.scenario(users: 50)
        for party in scenario.parties {
            let frames = party.user.client.frames
            #expect(frames.filter { $0.type == "message_received" }.map(\.runID) == [party.runID])
            #expect(frames.filter { $0.type == "run_completed" }.map(\.runID) == [party.runID])
        }
    }
}

extension MultiUserAgentMessageIsolationTests {
    /// The session's own filter, on its own: the owner filter at the subscription's source is broken on purpose
    /// (every connection subscribes to every event), and another user's run must still never reach the socket or
    /// the deliveries — each of its frame events dropped by the session, and counted.
    @Test("a foreign event that reaches a session (its source filter broken) is dropped: not written, not delivered, counted")
    func sessionDropsForeignEvents() async throws {
        try await withLiveServer(configure: { $0.connectionEventFilter = { _ in .all } }) { server in
            let victim = try await ITUser.make(server, "victim")
            let other = try await ITUser.make(server, "other")
            let (otherRunID, otherFrames) = try await other.run(IT.insufficient + " Reference \(IT.canary()).")
            // The other session ends before the victim's run, so that only the victim's session drops anything.
            try await other.close()
            try await JournalAssertions(server.journal).awaitEvent(.stream(EventStreams.connection(other.connectionID))) {
                $0.type == "connection_closed"
            }
            // The victim's own run comes after the other's in the journal's order, and its subscription delivers
            // in that order: once its terminal frame is in, the session has seen every event of the other run.
            // (`run` fails at once on a frame of another user.)
            let (victimRunID, victimFrames) = try await victim.run(IT.partial)
            #expect(!victimFrames.isEmpty)
            #expect(!victim.client.frames.contains { $0.runID == otherRunID || $0.userID == other.userID })

            let journal = JournalAssertions(server.journal)
            #expect(
                try await journal.integer(
                    """
                    SELECT COUNT(*) FROM deliveries d JOIN events e ON e.seq = d.seq
                    WHERE d.connection_id = ? AND (e.user_id IS NOT ? OR d.recipient_user_id IS NOT ?)
                    """, [victim.connectionID, victim.userID, victim.userID]) == 0)
            #expect(
                try await journal.integer(
                    "SELECT COUNT(*) FROM deliveries WHERE connection_id = ? AND seq IN (SELECT seq FROM events WHERE run_id = ?)",
                    [victim.connectionID, victimRunID]) == victimFrames.count)

            // Each of the other run's frame events reached the victim's session and was dropped there.
            let metrics = try await server.http("GET", "/metrics").body
            let dropped = metrics.split(separator: "\n").first { $0.hasPrefix("goldenpath_foreign_events_dropped_total") }
            #expect(dropped.flatMap { $0.split(separator: " ").last.flatMap { Double($0) } } == Double(otherFrames.count))
            try await victim.close()
        }
    }
}
