import AgentRuntime
import Foundation
import Gateway
import Journal
import Logging
import ServiceLifecycle
import StandardPipeline
import Synchronization

/// The full GoldenPath server on `127.0.0.1` and a free port, with a fresh journal in a temporary directory,
/// bcrypt cost 4, and the offline ``ScriptedLLM`` (or an injected LLM) — for tests. It runs the standard
/// pipeline unless given a pipeline of your own.
///
/// ```swift
/// try await withLiveServer { server in
///     let alice = try await server.signUp(username: "alice")
///     let client = try await server.connect(token: alice.token)
///     ...
/// }
/// ```
public final class LiveServer: Sendable {
    /// The running server.
    public let server: GoldenPathServer
    /// The bound port.
    public let port: Int
    /// The journal file.
    public let journalPath: String
    /// The temporary directory that holds the journal; removed by ``shutdown()``.
    public let directory: URL
    private let group: ServiceGroup
    private let task: Task<Void, any Error>
    private let starter: Starter

    /// How to start this server again on its journal (``restart(llm:)``).
    private struct Starter: Sendable {
        var start:
            @Sendable (_ configuration: GatewayConfiguration, _ llm: (any LLMClient)?, _ agents: AgentsConfiguration)
                async throws -> LiveServer
        var configuration: GatewayConfiguration
        var llm: (any LLMClient)?
        var agents: AgentsConfiguration
    }

    /// The server's journal (open until ``shutdown()``).
    public var journal: EventJournal { server.journal }
    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(
        server: GoldenPathServer, port: Int, journalPath: String, directory: URL, group: ServiceGroup,
        task: Task<Void, any Error>, starter: Starter
    ) {
        self.starter = starter
        self.server = server
        self.port = port
        self.journalPath = journalPath
        self.directory = directory
        self.group = group
        self.task = task
    }

    /// Starts a server running the standard pipeline and waits until it listens.
    /// - Parameters:
    ///   - llm: The language model; ``ScriptedLLM`` when nil.
    ///   - agents: The run limits and timeouts.
    ///   - configure: Changes to the gateway configuration (port 0 and bcrypt cost 4 are already set).
    /// - Throws: When the journal cannot be created or the server cannot bind.
    public static func start(
        llm: (any LLMClient)? = nil, agents: AgentsConfiguration = AgentsConfiguration(),
        configure: (inout GatewayConfiguration) -> Void = { _ in }
    ) async throws -> LiveServer {
        try await start(pipeline: StandardPipeline.make(), llm: llm, agents: agents, configure: configure)
    }

    /// Starts a server running `pipeline` and waits until it listens.
    /// - Parameters:
    ///   - pipeline: The pipeline every run executes.
    ///   - llm: The language model; ``ScriptedLLM`` when nil.
    ///   - agents: The run limits and timeouts.
    ///   - routes: The routes the test adds (``GatewayRoutes``).
    ///   - configure: Changes to the gateway configuration (port 0 and bcrypt cost 4 are already set).
    /// - Throws: When the journal cannot be created or the server cannot bind.
    public static func start<State>(
        pipeline: Pipeline<State>, llm: (any LLMClient)? = nil, agents: AgentsConfiguration = AgentsConfiguration(),
        routes: @escaping @Sendable (GatewayRoutes) -> Void = { _ in },
        configure: (inout GatewayConfiguration) -> Void = { _ in }
    ) async throws -> LiveServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "goldenpath-live-\(UUID().uuidString.lowercased())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = GatewayConfiguration(jwtSecret: "test-secret-\(UUID().uuidString)")
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.bcryptCost = 4
        configuration.durability = .normal
        // Tests sign many users up from 127.0.0.1; the login throttle keeps its defaults.
        configuration.limits.signupsPerAddressPerMinute = 100_000
        configuration.logger = Logger(label: "goldenpath.live-server")
        configure(&configuration)
        return try await start(
            pipeline: pipeline, llm: llm, agents: agents, routes: routes, configuration: configuration,
            directory: directory)
    }

    private static func start<State>(
        pipeline: Pipeline<State>, llm: (any LLMClient)?, agents: AgentsConfiguration,
        routes: @escaping @Sendable (GatewayRoutes) -> Void, configuration: GatewayConfiguration, directory: URL
    ) async throws -> LiveServer {
        let journalPath = directory.appendingPathComponent("journal.sqlite").path
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let server = try await GoldenPathServer(
            pipeline: pipeline, configuration: configuration, journalPath: journalPath, llm: llm, agents: agents,
            routes: routes,
            onServerRunning: { port in
                portContinuation.yield(port)
                portContinuation.finish()
            })
        let group = ServiceGroup(services: [server], logger: configuration.logger)
        // Held by the LiveServer and awaited by shutdown(); ends when the service group does.
        let task = Task {
            defer { portContinuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await task.value
            throw LiveServerError(description: "the server stopped before it listened")
        }
        var restartConfiguration = configuration
        restartConfiguration.port = port
        let starter = Starter(
            start: { configuration, llm, agents in
                try await start(
                    pipeline: pipeline, llm: llm, agents: agents, routes: routes, configuration: configuration,
                    directory: directory)
            }, configuration: restartConfiguration, llm: llm, agents: agents)
        return LiveServer(
            server: server, port: port, journalPath: journalPath, directory: directory, group: group, task: task,
            starter: starter)
    }

    /// Kills the server as a crash would: the journal is closed under it first, so nothing more is recorded —
    /// open runs stay without a terminal event, and connections drop. The journal file stays for
    /// ``restart(llm:)``.
    public func crash() async {
        try? server.close()
        task.cancel()
        _ = await task.result
    }

    /// Starts the server again on the same journal, port and signing secret (tokens stay valid), as a process
    /// restarted after a crash: start-up recovery resumes the runs the crash left open.
    /// - Parameters:
    ///   - llm: The language model of the new process (default: the one this server had).
    ///   - agents: The limits and tool replacements of the new process (default: this server's) — for example
    ///     without the gated tool a test crashed inside.
    /// - Throws: When the journal cannot be opened or the port cannot be bound again.
    public func restart(llm: (any LLMClient)? = nil, agents: AgentsConfiguration? = nil) async throws -> LiveServer {
        try await starter.start(starter.configuration, llm ?? starter.llm, agents ?? starter.agents)
    }

    /// Shuts the server down gracefully, closes the journal and removes the temporary directory.
    /// - Throws: The error the server stopped with, if any.
    public func shutdown() async throws {
        await group.triggerGracefulShutdown()
        let result = await task.result
        try? server.close()
        try? FileManager.default.removeItem(at: directory)
        try result.get()
    }

    /// Connects a ``TestWebSocketClient`` to this server.
    /// - Throws: ``TestWebSocketClient/WaitError`` when the connection does not open.
    public func connect(token: String?, transport: TestWebSocketClient.TokenTransport = .header) async throws
        -> TestWebSocketClient
    {
        try await TestWebSocketClient.connect(port: port, token: token, transport: transport)
    }
}

/// The live server could not start.
public struct LiveServerError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public let description: String

    /// Creates an error with a description.
    public init(description: String) {
        self.description = description
    }
}

/// Runs `body` with a fresh ``LiveServer``, then shuts it down (also when `body` throws).
/// - Throws: What `body` throws, or what starting or stopping the server throws.
public func withLiveServer<T: Sendable>(
    llm: (any LLMClient)? = nil, agents: AgentsConfiguration = AgentsConfiguration(),
    configure: (inout GatewayConfiguration) -> Void = { _ in },
    _ body: (LiveServer) async throws -> T
) async throws -> T {
    try await withLiveServer(
        pipeline: StandardPipeline.make(), llm: llm, agents: agents, configure: configure, body)
}

/// Runs `body` with a fresh ``LiveServer`` running `pipeline`, then shuts it down (also when `body` throws).
/// - Throws: What `body` throws, or what starting or stopping the server throws.
public func withLiveServer<State, T: Sendable>(
    pipeline: Pipeline<State>, llm: (any LLMClient)? = nil, agents: AgentsConfiguration = AgentsConfiguration(),
    routes: @escaping @Sendable (GatewayRoutes) -> Void = { _ in },
    configure: (inout GatewayConfiguration) -> Void = { _ in },
    _ body: (LiveServer) async throws -> T
) async throws -> T {
    let server = try await LiveServer.start(
        pipeline: pipeline, llm: llm, agents: agents, routes: routes, configure: configure)
    let result: T
    do {
        result = try await body(server)
    } catch {
        try? await server.shutdown()
        throw error
    }
    try await server.shutdown()
    return result
}
