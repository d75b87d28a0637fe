import AgentRuntime
import Foundation
import GRDB
@testable import Gateway
import GoldenPathTesting
import Journal
import StandardPipeline
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// A storage fault the test switches on and off: while on, every commit (and the `/healthz` probe) fails with
/// the chosen journal error code, as a failing disk would.
final class SwitchableStorageFault: StorageFaultInjector {
    /// The fault, how many commits still pass before it starts, and whether it strikes at `COMMIT` (after the
    /// batch's requests were written and its ordered appends answered) rather than after `BEGIN`.
    private let state = Mutex<(code: JournalError.Code?, passing: Int, atCommit: Bool)>((nil, 0, false))
    /// The batch size of every commit failed (0 is the `/healthz` probe; appends are 1 or more).
    let failures: AsyncStream<Int>
    private let continuation: AsyncStream<Int>.Continuation

    init() {
        (failures, continuation) = AsyncStream.makeStream()
    }

    func fail(with code: JournalError.Code = .ioError) { state.withLock { $0 = (code, 0, false) } }
    /// Fails every commit at `COMMIT`, after its requests were written: ordered appends answered before are lost.
    func failAtCommit(with code: JournalError.Code = .ioError) { state.withLock { $0 = (code, 0, true) } }
    /// Lets the next `commits` commits through, then fails every one after.
    func fail(afterCommits commits: Int, with code: JournalError.Code = .ioError) {
        state.withLock { $0 = (code, commits, false) }
    }
    func clear() { state.withLock { $0 = (nil, 0, false) } }

    /// Waits until a commit of appends (not the probe) has failed.
    func awaitFailedAppend() async {
        for await size in failures where size > 0 { return }
    }

    func beforeCommit(batchSize: Int) throws {
        try strike(batchSize: batchSize, atCommit: false)
    }

    func atCommit(batchSize: Int) throws {
        try strike(batchSize: batchSize, atCommit: true)
    }

    private func strike(batchSize: Int, atCommit: Bool) throws {
        let code = state.withLock { state -> JournalError.Code? in
            guard state.atCommit == atCommit else { return nil }
            guard state.passing == 0 else {
                state.passing -= 1
                return nil
            }
            return state.code
        }
        if let code {
            continuation.yield(batchSize)
            throw JournalError(code: code, message: "injected storage fault")
        }
    }
}

/// A tool that always fails as a broken dependency would.
struct RecoveryFailingTool: Tool {
    let name: String
    func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        throw ToolError(code: .failed, message: "injected failure")
    }
}

/// A tool that fails with an error that is not a `ToolError` and whose text holds a file path and a trace.
struct RecoveryCrashingTool: Tool {
    struct Crash: Error, CustomStringConvertible {
        var description: String { "crash at /home/build/Sources/Secret/Internal.swift:42\n0 libswiftCore.so frame" }
    }

    let name: String
    func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        throw Crash()
    }
}

/// A tool that never finishes until cancelled.
struct RecoveryBlockingTool: Tool {
    let name: String
    func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        try await Task.sleep(for: .seconds(3_600))
        return .null
    }
}

/// Agents configuration with one tool replaced.
func agentsReplacing(_ tool: any Tool, _ configure: (inout AgentsConfiguration) -> Void = { _ in })
    -> AgentsConfiguration
{
    var agents = AgentsConfiguration()
    agents.tools = agents.tools.replacing(tool)
    configure(&agents)
    return agents
}

/// Requests with 2+, 1 and 0 figures: the three triage paths.
enum RecoveryMessages {
    static let sufficient = "Our cloud bill is $12,000 a month for 40 servers. How can we cut the cost?"
    static let partial = "Our API latency is 450 ms. How do we make it faster?"
    static let insufficient = "How can we make our service cheaper to run?"
}

/// Signs a user up and opens one connection, waiting for `connection_established`.
func signedInClient(_ server: LiveServer, _ username: String) async throws -> (IssuedToken, TestWebSocketClient) {
    let token = try await server.signUp(username: username)
    let client = try await server.connect(token: token.token)
    try await client.awaitFrame("connection_established") { $0.type == "connection_established" }
    return (token, client)
}

/// The terminal frames of a run among `frames`.
func terminalFrames(_ frames: [TestWebSocketClient.Frame], runID: String) -> [TestWebSocketClient.Frame] {
    frames.filter { $0.runID == runID && AgentEvent.terminalTypes.contains($0.type ?? "") }
}

/// The event types of one run in the journal, in order.
func runEventTypes(_ journal: EventJournal, runID: String) async throws -> [String] {
    try await journal.events(filter: .run(runID)).map(\.type)
}

/// Checks the journal: `verify` passes and `PRAGMA integrity_check` is ok.
func expectJournalSound(_ journal: EventJournal, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let report = try await journal.verify()
    #expect(report.failures.isEmpty, "\(report.failures)", sourceLocation: sourceLocation)
    let integrity = try await journal.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    #expect(integrity == ["ok"], sourceLocation: sourceLocation)
    #expect(
        try await count(journal, "SELECT COUNT(*) FROM cross_user_deliveries") == 0, sourceLocation: sourceLocation)
}

/// Waits (on the journal) until a run has its terminal event, and returns that event.
@discardableResult
func awaitTerminal(_ journal: EventJournal, runID: String, timeout: Duration = .seconds(60)) async throws
    -> RecordedEvent
{
    try await awaitEvent(journal, filter: .run(runID), timeout: timeout) {
        AgentEvent.terminalTypes.contains($0.type)
    }
}

/// A GoldenPath server on a journal file the test keeps, so it can be stopped and started again on the same
/// journal (a restart) with the same signing secret.
final class RestartableServer: Sendable {
    let server: GoldenPathServer
    let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(server: GoldenPathServer, port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.server = server
        self.port = port
        self.group = group
        self.task = task
    }

    var journal: EventJournal { server.journal }

    static func start(
        path: String, secret: String, llm: (any LLMClient)? = nil, agents: AgentsConfiguration = AgentsConfiguration()
    ) async throws -> RestartableServer {
        var configuration = GatewayConfiguration(jwtSecret: secret)
        configuration.port = 0
        configuration.bcryptCost = 4
        configuration.durability = .normal
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let server = try await GoldenPathServer(
            pipeline: StandardPipeline.make(), configuration: configuration, journalPath: path, llm: llm,
            agents: agents,
            onServerRunning: { port in
                continuation.yield(port)
                continuation.finish()
            })
        let group = ServiceGroup(services: [server], logger: Logger(label: "goldenpath.restartable"))
        // Awaited by stop().
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await task.value
            throw LiveServerError(description: "the server stopped before it listened")
        }
        return RestartableServer(server: server, port: port, group: group, task: task)
    }

    func signUp(_ username: String) async throws -> IssuedToken {
        try await server.services.auth.signUp(
            Credentials(username: username, password: "password-123456"), from: "127.0.0.1")
    }

    func connect(_ token: String) async throws -> TestWebSocketClient {
        let client = try await TestWebSocketClient.connect(port: port, token: token)
        try await client.awaitFrame("connection_established") { $0.type == "connection_established" }
        return client
    }

    /// Graceful shutdown (as SIGTERM does), then closes the journal.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        let result = await task.result
        try? server.close()
        try result.get()
    }
}

/// A fresh temporary directory, removed by `remove()`.
struct RecoveryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "goldenpath-recovery-\(UUID().uuidString.lowercased())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var journalPath: String { url.appendingPathComponent("journal.sqlite").path }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
