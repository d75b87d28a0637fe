import AgentRuntime
import Foundation
import GRDB
import Gateway
import GoldenPathTesting
import Journal
import StandardPipeline
import Synchronization
import Testing

/// 50 users, each sending 5 messages one after another over one connection; run once, read by three cases.
struct ITLoadScenario: Sendable {
    struct Party: Sendable {
        let user: ITUser
        let canary: String
        let runIDs: [String]
    }

    let server: LiveServer
    let parties: [Party]
    let seconds: Double

    static func run(on server: LiveServer, users: Int = 50, messages: Int = 5) async throws -> ITLoadScenario {
        let started = ContinuousClock.now
        let parties = try await withThrowingTaskGroup(of: Party.self) { group in
            for index in 0..<users {
                group.addTask {
                    let user = try await ITUser.make(server, "load")
                    let canary = IT.canary()
                    var runIDs: [String] = []
                    for message in 0..<messages {
                        let request = IT.outcomes[(index + message) % 3].request + " Ticket \(canary)."
                        runIDs.append(try await user.run(request).runID)
                    }
                    return Party(user: user, canary: canary, runIDs: runIDs)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("load: \(users) users × \(messages) messages = \(users * messages) runs in \(seconds) s")
        return ITLoadScenario(server: server, parties: parties, seconds: seconds)
    }
}

/// The product seen as a user sees it: the whole journey, the quality of the answer, and behaviour under load.
@Suite("Agent business value scenarios", .timeLimit(.minutes(5)))
struct AgentBusinessValueScenariosTests {
    static let shared = ITSharedServer()
    static let load = Mutex<Task<ITLoadScenario, any Error>?>(nil)

    static func loadScenario() async throws -> ITLoadScenario {
        let task = load.withLock { current -> Task<ITLoadScenario, any Error> in
            if let current { return current }
            let task = Task { try await ITLoadScenario.run(on: try await shared.get()) }
            current = task
            return task
        }
        return try await task.value
    }

    // MARK: - The journey

    @Test("sign up, log in, connect, ask, get the answer — and the journal tells the same story")
    func completeJourney() async throws {
        let server = try await Self.shared.get()
        let name = IT.username("journey")
        let signedUp = try await server.signUp(username: name, password: "a-long-passphrase")
        let loggedIn = try await server.logIn(username: name, password: "a-long-passphrase")
        #expect(loggedIn.userID == signedUp.userID)
        let (client, connectionID) = try await ITUser.connect(server, token: loggedIn.token)
        let user = ITUser(
            userID: loggedIn.userID, username: name, token: loggedIn.token, client: client, connectionID: connectionID)
        let (runID, frames) = try await user.run(IT.sufficient)
        #expect(frames.last?.type == "run_completed")
        let journal = JournalAssertions(server.journal)
        #expect(try await journal.integer(
            "SELECT COUNT(*) FROM events WHERE type = 'user_signed_up' AND user_id = ?", [user.userID]) == 1)
        #expect(try await journal.integer(
            "SELECT COUNT(*) FROM events WHERE type = 'connection_opened' AND connection_id = ?", [connectionID]) == 1)
        try await journal.expectRun(runID, matches: .goldenPath(agents: IT.sufficientPath))
        try await journal.expectDeliveries(connectionID: connectionID, received: client.frames)
        #expect(try await server.http("POST", "/auth/login", body: #"{"username":"\#(name)","password":"wrong-password"}"#).status == 401)
        try await user.close()
    }

    // MARK: - Answer quality

    @Test("the answer is non-empty, refers to the request and carries numbered next steps", arguments: ["sufficient", "partial", "insufficient"])
    func answerQuality(sufficiency: String) async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "quality")
        let request = IT.request(for: sufficiency)
        let (_, frames) = try await user.run(request)
        let answer = try #require(frames.last?["final_response"]?.stringValue)
        #expect(answer.count > 40)
        #expect(answer.contains(request), "the answer does not refer to the request: \(answer)")
        let steps = try #require(answer.range(of: "Next steps:"))
        #expect(answer[steps.upperBound...].contains("1. "))
        try await user.close()
    }

    @Test("an answer to a request with figures reports the figures and the recommended option")
    func answerUsesFigures() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "figures")
        let (runID, frames) = try await user.run(IT.sufficient)
        let answer = frames.last?["final_response"]?.stringValue ?? ""
        #expect(answer.contains("12,000") && answer.contains("40"))
        let top = IT.toolResults(try await JournalAssertions(server.journal).runEvents(runID))
            .first { $0.toolName == "rank_options" }?.results["top"]?.stringValue
        #expect(top != nil && answer.contains(top ?? "-"))
        try await user.close()
    }

    @Test("an answer to a request with one figure uses it and says what else is needed")
    func partialAnswer() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "partialq")
        let (_, frames) = try await user.run(IT.partial)
        let answer = frames.last?["final_response"]?.stringValue ?? ""
        #expect(answer.contains("450 ms"))
        #expect(answer.contains("What could not be determined") && answer.contains("Send the missing data"))
        try await user.close()
    }

    @Test("an answer to a request without figures asks for the data it needs")
    func insufficientAnswer() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "insuff")
        let (_, frames) = try await user.run(IT.insufficient)
        let answer = frames.last?["final_response"]?.stringValue ?? ""
        #expect(answer.contains("Send the missing data"))
        #expect(!answer.contains("Carry out the planned actions"))
        try await user.close()
    }

    @Test("a degraded answer says what could not be done and still gives next steps")
    func degradedAnswer() async throws {
        let agents = FaultPlan().failingTool("estimate_cost_change").apply(to: AgentsConfiguration())
        try await withLiveServer(agents: agents) { server in
            let user = try await ITUser.make(server, "degraded")
            let (_, frames) = try await user.run(IT.sufficient)
            let answer = frames.last?["final_response"]?.stringValue ?? ""
            #expect(frames.last?["degraded"]?.boolValue == true)
            #expect(answer.contains("actions: skipped because optimization did not complete"))
            #expect(answer.contains("Next steps:") && answer.contains("Ask again once the failed steps can run"))
            try await user.close()
        }
    }

    @Test("an urgent request is classified high priority and still answered with next steps")
    func urgentRequest() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "urgent")
        let (runID, frames) = try await user.run("URGENT: our site is down and costs $5,000 an hour across 12 servers.")
        let triage = IT.toolResults(try await JournalAssertions(server.journal).runEvents(runID))
            .first { $0.toolName == "classify_request" }
        #expect(triage?.results["priority"]?.stringValue == "high")
        #expect(frames.last?["final_response"]?.stringValue?.contains("Next steps:") == true)
        try await user.close()
    }

    @Test("two different questions get two different answers, each about its own question")
    func distinctAnswers() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "distinct")
        let first = try await user.run(IT.partial).frames.last?["final_response"]?.stringValue ?? ""
        let second = try await user.run(IT.sufficient).frames.last?["final_response"]?.stringValue ?? ""
        #expect(first != second)
        #expect(first.contains(IT.partial) && !first.contains(IT.sufficient))
        #expect(second.contains(IT.sufficient) && !second.contains(IT.partial))
        try await user.close()
    }

    @Test("an answer from a real HTTP model endpoint reaches the user verbatim")
    func httpModelAnswer() async throws {
        let report = "Move batch jobs to spot instances.\n\nNext steps:\n1. List batch jobs"
        try await withStubLLMServer(defaultBehaviour: .answer(report)) { stub in
            let configuration = OpenAICompatibleLLM.Configuration(baseURL: stub.baseURL, model: "primary")
            try await OpenAICompatibleLLM.withClient(
                configuration: configuration, timeLimitClock: ManualTimeLimitClock()
            ) { llm in
                try await withLiveServer(llm: llm) { server in
                    let user = try await ITUser.make(server, "http")
                    let (_, frames) = try await user.run(IT.sufficient)
                    #expect(frames.last?["final_response"]?.stringValue == report)
                    #expect(stub.requests.count == 1)
                    try await user.close()
                }
            }
        }
    }

    // MARK: - Coming back

    @Test("a follow-up in the same conversation: the history holds both questions and answers in order")
    func conversationHistory() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "history")
        let (_, first) = try await user.run(IT.partial)
        let threadID = try #require(first.first?.threadID)
        let (_, second) = try await user.run("We also run 30 servers at $400 each.", threadID: threadID)
        try await user.client.send(["type": "get_thread_history", "thread_id": threadID])
        let history = try await user.client.awaitFrame("thread_history") { $0.type == "thread_history" }
        let messages = history["messages"]?.arrayValue ?? []
        #expect(messages.map { $0["role"]?.stringValue } == ["user", "assistant", "user", "assistant"])
        #expect(messages.last?["content"]?.stringValue == second.last?["final_response"]?.stringValue)
        try await user.close()
    }

    @Test("the answer survives a reconnect: a new connection finds it in the thread history")
    func answerAfterReconnect() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "back")
        let (_, frames) = try await user.run(IT.insufficient)
        try await user.close()
        let token = try await server.logIn(username: user.username).token
        let (client, _) = try await ITUser.connect(server, token: token)
        try await client.send(["type": "get_thread_history", "thread_id": frames.first?.threadID ?? ""])
        let history = try await client.awaitFrame("thread_history") { $0.type == "thread_history" }
        #expect(history["messages"]?.arrayValue?.last?["content"]?.stringValue == frames.last?["final_response"]?.stringValue)
        try await client.close()
    }

    @Test("a user on two devices sees the answer on both")
    func twoDevices() async throws {
        let server = try await Self.shared.get()
        let phone = try await ITUser.make(server, "devices")
        let laptopToken = try await server.logIn(username: phone.username).token
        let (laptop, _) = try await ITUser.connect(server, token: laptopToken)
        let (runID, frames) = try await phone.run(IT.partial)
        let mirrored = try await laptop.awaitRunEnd(runID: runID)
        #expect(mirrored.last?["final_response"] == frames.last?["final_response"])
        try await laptop.close()
        try await phone.close()
    }

    @Test("/healthz reports a head sequence at or past the last answer")
    func healthAfterAnswer() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "health")
        let (_, frames) = try await user.run(IT.insufficient)
        let health = try await server.http("GET", "/healthz")
        #expect(health.status == 200)
        #expect(Int64(health.json["head_seq"]?.intValue ?? -1) >= (frames.last?.seq ?? .max))
        try await user.close()
    }

    @Test("/metrics counts completed runs")
    func metricsCountRuns() async throws {
        try await withLiveServer { server in
            let user = try await ITUser.make(server, "runs")
            _ = try await user.run(IT.insufficient)
            _ = try await user.run(IT.partial)
            let text = try await server.http("GET", "/metrics").body
            let completed = text.split(separator: "\n").first {
                $0.hasPrefix("goldenpath_runs") && $0.contains("completed")
            }
            #expect(completed.flatMap { $0.split(separator: " ").last.flatMap { Double($0) } } == 2, "\(completed ?? "none")")
            try await user.close()
        }
    }

    // MARK: - Under load: 50 users × 5 messages

    @Test("under load (50 users × 5 messages) every run completes on its path")
    func loadEveryRunCompletes() async throws {
        let scenario = try await Self.loadScenario()
        let runIDs = scenario.parties.flatMap(\.runIDs)
        #expect(runIDs.count == 250 && Set(runIDs).count == 250)
        let journal = JournalAssertions(scenario.server.journal)
        let placeholders = Array(repeating: "?", count: runIDs.count).joined(separator: ",")
        #expect(try await journal.integer(
            "SELECT COUNT(*) FROM runs WHERE status = 'completed' AND degraded = 0 AND run_id IN (\(placeholders))",
            runIDs) == 250)
        for party in scenario.parties {
            for runID in party.runIDs {
                let request = IT.decoded(try await journal.runEvents(runID))
                    .compactMap { if case .userMessage(let p) = $0 { p.content } else { nil } }.first ?? ""
                let path = IT.outcomes.first { request.hasPrefix($0.request) }?.path ?? []
                #expect(try await journal.runMismatch(runID, .goldenPath(agents: path)) == nil, "\(runID)")
            }
        }
        print("load scenario took \(scenario.seconds) s")
    }

    @Test("under load, no user's data reaches another user")
    func loadZeroLeaks() async throws {
        let scenario = try await Self.loadScenario()
        let journal = JournalAssertions(scenario.server.journal)
        let canaries = Dictionary(uniqueKeysWithValues: scenario.parties.map { ($0.user.userID, $0.canary) })
        let received = Dictionary(uniqueKeysWithValues: scenario.parties.map { ($0.user.userID, $0.user.client.frames) })
        #expect(try await journal.canaryLeaks(canaries: canaries, received: received).isEmpty)
        #expect(try await journal.crossUserDeliveries().isEmpty)
        #expect(try await journal.crossUserEvents().isEmpty)
    }

    @Test("under load, every connection received every frame of its runs, once, in order")
    func loadZeroLostFrames() async throws {
        let scenario = try await Self.loadScenario()
        let journal = JournalAssertions(scenario.server.journal)
        for party in scenario.parties {
            var expected: [String] = []
            for runID in party.runIDs { expected += IT.keys(try await journal.runEvents(runID, framesOnly: true)) }
            #expect(IT.keys(party.user.client.frames) == expected, "\(party.user.username) lost or reordered frames")
            let problems = try await journal.deliveryMismatches(
                connectionID: party.user.connectionID, received: party.user.client.frames)
            #expect(problems.isEmpty, "\(problems)")
        }
    }

    @Test("signing up with a taken name is 409 and leaves the first user's conversations untouched")
    func takenName() async throws {
        let server = try await Self.shared.get()
        let user = try await ITUser.make(server, "taken")
        let (_, frames) = try await user.run(IT.partial)
        let body = #"{"username":"\#(user.username)","password":"another-password"}"#
        #expect(try await server.http("POST", "/auth/signup", body: body).status == 409)
        let threads = try await server.http("GET", "/api/threads", token: user.token)
        #expect(threads.json["threads"]?.arrayValue?.first?["thread_id"]?.stringValue == frames.first?.threadID)
        #expect(try await server.http("POST", "/auth/login", body: body).status == 401)
        try await user.close()
    }
}
