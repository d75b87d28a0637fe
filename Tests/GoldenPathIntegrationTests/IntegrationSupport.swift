import AgentRuntime
import Foundation
import GRDB
import Gateway
import GoldenPathClient
import GoldenPathTesting
import Journal
import StandardPipeline
import Synchronization
import Testing

/// Shared helpers of the five integration suites (CompleteAgentMessagePipeline, AgentOrchestrationWorkflows,
/// MultiUserAgentMessageIsolation, AgentWebSocketRealTime, AgentBusinessValueScenarios). Names are prefixed `IT`
/// to stay clear of the other suites' helpers in this target.
enum IT {
    /// Requests for the three triage outcomes (2, 1 and 0 figures), and their SPEC §5 sub-agent paths.
    static let sufficient = "Our cloud bill is $12,000 a month for 40 servers. How can we cut the cost?"
    static let partial = "Our API latency is 450 ms. How do we make it faster?"
    static let insufficient = "How can we make our service cheaper to run?"

    static let sufficientPath = ["triage", "data", "optimization", "actions", "reporting"]
    static let partialPath = ["triage", "data_helper", "data", "reporting"]
    static let insufficientPath = ["triage", "data_helper", "reporting"]

    /// The request and expected path of each triage outcome.
    static let outcomes: [(sufficiency: String, request: String, path: [String])] = [
        ("sufficient", sufficient, sufficientPath), ("partial", partial, partialPath),
        ("insufficient", insufficient, insufficientPath),
    ]

    static func path(for sufficiency: String) -> [String] {
        outcomes.first { $0.sufficiency == sufficiency }?.path ?? []
    }

    static func request(for sufficiency: String) -> String {
        outcomes.first { $0.sufficiency == sufficiency }?.request ?? insufficient
    }

    /// A unique, letters-only token (no digits, no vowels: it never changes triage's figures or keywords).
    static func canary() -> String {
        let letters = Array("bcdfghjkmnpqrstvwxz")
        return "cnry" + String((0..<20).map { _ in letters.randomElement() ?? "z" })
    }

    /// A unique user name.
    static func username(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }
}

/// A signed-up user with one open, established connection.
struct ITUser: Sendable {
    let userID: String
    let username: String
    let token: String
    let client: TestWebSocketClient
    let connectionID: String

    /// Signs up a fresh user and connects it.
    static func make(_ server: LiveServer, _ prefix: String = "user") async throws -> ITUser {
        let name = IT.username(prefix)
        let issued = try await server.signUp(username: name)
        let (client, connectionID) = try await connect(server, token: issued.token)
        return ITUser(
            userID: issued.userID, username: name, token: issued.token, client: client, connectionID: connectionID)
    }

    /// Opens one more connection for a token and waits for `connection_established`; returns its connection id.
    static func connect(_ server: LiveServer, token: String) async throws -> (TestWebSocketClient, String) {
        let client = try await server.connect(token: token)
        let established = try await client.awaitFrame("connection_established") {
            $0.type == "connection_established"
        }
        return (client, try #require(established["connection_id"]?.stringValue))
    }

    /// Sends a `user_message` and waits for its `message_received`; returns the frame.
    @discardableResult
    func send(_ content: String, threadID: String? = nil, on connection: TestWebSocketClient? = nil) async throws
        -> TestWebSocketClient.Frame
    {
        let client = connection ?? self.client
        let clientMessageID = UUID().uuidString
        var message: [String: any Sendable] = [
            "type": "user_message", "content": content, "client_message_id": clientMessageID,
        ]
        if let threadID { message["thread_id"] = threadID }
        let start = client.frames.count
        try await client.send(message)
        let answer = try await awaitOwnFrame(on: client, from: start, "message_received of \(clientMessageID)") {
            ($0.type == "message_received" && $0["client_message_id"]?.stringValue == clientMessageID)
                || $0.type == "error"
        }
        guard answer.type == "message_received" else {
            throw LiveServerError(description: "\(username)'s message was refused: \(answer.text)")
        }
        return answer
    }

    /// Sends a message and waits for the run's terminal frame; returns the run id and its frames.
    func run(_ content: String, threadID: String? = nil) async throws -> (runID: String, frames: [TestWebSocketClient.Frame]) {
        let received = try await send(content, threadID: threadID)
        let runID = try #require(received.runID)
        try await awaitOwnFrame(on: client, from: 0, "the end of run \(runID)") {
            $0.runID == runID && $0.serverFrame.isTerminal
        }
        return (runID, client.frames.filter { $0.runID == runID })
    }

    /// The first frame from `start` on that satisfies `predicate` — failing at once, rather than at the timeout,
    /// when a frame of another user arrives first (an isolation break must fail where it happens).
    @discardableResult
    func awaitOwnFrame(
        on client: TestWebSocketClient, from start: Int, _ what: String,
        where predicate: @escaping @Sendable (TestWebSocketClient.Frame) -> Bool
    ) async throws -> TestWebSocketClient.Frame {
        let userID = self.userID
        let frame = try await client.awaitFrame(from: start, what) { frame in
            predicate(frame) || (frame.userID.map { $0 != userID } ?? false)
        }
        if let other = frame.userID, other != userID {
            throw LiveServerError(description: "\(username) received a frame of user \(other): \(frame.text)")
        }
        return frame
    }

    func close() async throws { try await client.close() }
}

/// One ``LiveServer`` shared by the cases of a suite that can share it (each case uses its own users); started on
/// first use and left running until the test process ends (its journal lives in a temporary directory).
final class ITSharedServer: Sendable {
    private let state = Mutex<Task<LiveServer, any Error>?>(nil)

    func get() async throws -> LiveServer {
        let task = state.withLock { current -> Task<LiveServer, any Error> in
            if let current { return current }
            let started = Task { try await LiveServer.start() }
            current = started
            return started
        }
        return try await task.value
    }
}

/// The typed payloads of a run's events.
extension IT {
    static func decoded(_ events: [RecordedEvent]) -> [AgentEvent] {
        events.compactMap { try? AgentEvent(recorded: $0) }
    }

    static func toolCalls(_ events: [RecordedEvent]) -> [ToolExecuting] {
        decoded(events).compactMap { if case .toolExecuting(let p) = $0 { p } else { nil } }
    }

    static func toolResults(_ events: [RecordedEvent]) -> [ToolCompleted] {
        decoded(events).compactMap { if case .toolCompleted(let p) = $0 { p } else { nil } }
    }

    static func started(_ events: [RecordedEvent]) -> [AgentStarted] {
        decoded(events).compactMap { if case .agentStarted(let p) = $0 { p } else { nil } }
    }

    static func completedAgents(_ events: [RecordedEvent]) -> [AgentCompleted] {
        decoded(events).compactMap { if case .agentCompleted(let p) = $0 { p } else { nil } }
    }

    static func runCompleted(_ events: [RecordedEvent]) -> RunCompleted? {
        decoded(events).lazy.compactMap { if case .runCompleted(let p) = $0 { p } else { nil } }.first
    }

    static func llmRequests(_ events: [RecordedEvent]) -> [LLMRequested] {
        decoded(events).compactMap { if case .llmRequest(let p) = $0 { p } else { nil } }
    }

    /// The sub-agents of a run, in the order they started (supervisor left out).
    static func agentOrder(_ events: [RecordedEvent]) -> [String] {
        started(events).map(\.agentName).filter { $0 != "supervisor" }
    }

    /// The sub-agents of a run as seen in the frames a client received.
    static func agentOrder(_ frames: [TestWebSocketClient.Frame]) -> [String] {
        frames.filter { $0.type == "agent_started" && $0.agentName != "supervisor" }.compactMap(\.agentName)
    }

    /// (seq, type) of a run's frame events in the journal, to compare with frames received.
    static func keys(_ events: [RecordedEvent]) -> [String] {
        events.filter { AgentEvent.frameTypes.contains($0.type) }.map { "\($0.seq) \($0.type)" }
    }

    static func keys(_ frames: [TestWebSocketClient.Frame]) -> [String] {
        frames.compactMap { frame in frame.seq.map { "\($0) \(frame.type ?? "?")" } }
    }
}


/// Connects with `token` and waits for the server to close the connection — a refusal (bad token, journal
/// unavailable, too many connections) — and returns the client and the close code.
///
/// A refusal is an `error` frame and a close written right after the upgrade. Under CPU load the WebSocket client
/// (HummingbirdWSClient on NIO) sometimes misses both when they arrive together with the `101` response: the
/// connection then shows nothing at all, and the server waits for a close reply that never comes (reproduced: 14
/// of 300 refused connections on a loaded machine, half of them with no refusal delay; the cause is not pinned). A
/// connection that received nothing within 10 s is opened again, at most twice; what the server sent is then
/// checked as on the first try.
func connectExpectingRefusal(_ server: LiveServer, token: String?) async throws -> (TestWebSocketClient, UInt16?) {
    for _ in 0..<2 {
        let client = try await server.connect(token: token)
        do {
            return (client, try await client.awaitClose(timeout: .seconds(10)))
        } catch is TestWebSocketClient.WaitError where client.frames.isEmpty {
            try? await client.close()
        }
    }
    let client = try await server.connect(token: token)
    return (client, try await client.awaitClose())
}
