import AgentRuntime
import Foundation
import Hummingbird
import Journal
import Logging
import ServiceLifecycle
import UnixSignals

/// The whole server: the journal (with every layer's schema, projections and checks), the run coordinator and
/// the Hummingbird application, run together as one service with graceful shutdown.
///
/// ```swift
/// let server = try await GoldenPathServer(
///     pipeline: myPipeline, configuration: configuration, journalPath: "goldenpath.sqlite", llm: llm)
/// try await server.run(gracefulShutdownSignals: [.sigterm, .sigint])
/// try server.close()
/// ```
public final class GoldenPathServer: Service, Sendable {
    /// The configuration the server runs with.
    public let configuration: GatewayConfiguration
    /// The journal, open until ``close()``.
    public let journal: EventJournal
    /// The run coordinator.
    public let coordinator: RunCoordinator
    let services: GatewayServices
    private let routes: @Sendable (GatewayRoutes) -> Void
    private let onServerRunning: @Sendable (Int) async -> Void

    /// Opens the journal at `journalPath` and prepares the server for `pipeline`. Nothing listens until ``run()``.
    /// - Parameters:
    ///   - pipeline: The agents, tools and planner every run executes.
    ///   - configuration: The gateway's configuration.
    ///   - journalPath: The SQLite file of the journal (created if missing).
    ///   - llm: The language model; the offline ``ScriptedLLM`` when nil.
    ///   - agents: The run limits and timeouts.
    ///   - onServerRunning: Called with the bound port once the server listens (tests bind port 0).
    /// - Throws: `JournalError` when the journal cannot be opened; `GatewayError` when the secret is too short.
    public convenience init<State>(
        pipeline: Pipeline<State>, configuration: GatewayConfiguration, journalPath: String,
        llm: (any LLMClient)? = nil, agents: AgentsConfiguration = AgentsConfiguration(),
        routes: @escaping @Sendable (GatewayRoutes) -> Void = { _ in },
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let journal = try EventJournal(
            path: journalPath, configuration: GoldenPathJournal.configuration(for: configuration))
        do {
            try await self.init(
                pipeline: pipeline, configuration: configuration, journal: journal, llm: llm, agents: agents,
                routes: routes, onServerRunning: onServerRunning)
        } catch {
            try? journal.close()
            throw error
        }
    }

    /// Prepares the server for `pipeline` on an open journal — one opened with
    /// ``GoldenPathJournal/configuration(for:)``, on any backend (a PostgreSQL journal that several gateways share:
    /// `EventJournal.open(databaseURL:configuration:)` of JournalPostgres). The server takes the journal over:
    /// ``close()`` closes it. Nothing listens until ``run()``.
    /// - Parameters:
    ///   - pipeline: The agents, tools and planner every run executes.
    ///   - configuration: The gateway's configuration.
    ///   - journal: The journal, with every layer's schema, projections and checks.
    ///   - llm: The language model; the offline ``ScriptedLLM`` when nil.
    ///   - agents: The run limits and timeouts.
    ///   - onServerRunning: Called with the bound port once the server listens (tests bind port 0).
    /// - Throws: `GatewayError` when the secret is too short; `JournalError` when the journal cannot be read.
    public init<State>(
        pipeline: Pipeline<State>, configuration: GatewayConfiguration, journal: EventJournal,
        llm: (any LLMClient)? = nil, agents: AgentsConfiguration = AgentsConfiguration(),
        routes: @escaping @Sendable (GatewayRoutes) -> Void = { _ in },
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        self.routes = routes
        self.configuration = configuration
        self.onServerRunning = onServerRunning
        self.journal = journal
        let metrics = GatewayMetrics()
        let events = GatewayEvents(journal: journal, metrics: metrics, makeID: configuration.makeID)
        let tokens = try await TokenService(
            secret: configuration.jwtSecret, lifetime: configuration.tokenLifetime, clock: configuration.clock)
        var agents = agents
        let observeFirstDelta = agents.onFirstDelta
        agents.onFirstDelta = { duration in
            metrics.recordFirstDelta(duration)
            observeFirstDelta(duration)
        }
        let coordinator = RunCoordinator(
            journal: journal, pipeline: pipeline, llm: llm ?? ScriptedLLM(), configuration: agents,
            logger: configuration.logger)
        self.coordinator = coordinator
        services = GatewayServices(
            configuration: configuration, journal: journal, coordinator: coordinator,
            queries: RunQueries(journal: journal), tokens: tokens,
            auth: try await AuthService(
                journal: journal, events: events, tokens: tokens, configuration: configuration),
            events: events, metrics: metrics,
            connections: ConnectionRegistry(limit: configuration.limits.connectionsPerUser),
            rateLimiter: RateLimiter(limit: configuration.limits.messagesPerMinute, clock: configuration.clock))
    }

    /// The metrics registry `/metrics` renders.
    public var metrics: GatewayMetrics { services.metrics }

    /// Recovers interrupted runs, then serves until graceful shutdown (from a parent service group, or a signal
    /// given to ``run(gracefulShutdownSignals:)``): the server stops accepting, closes connections, and the
    /// coordinator ends its runs. The journal stays open; ``close()`` closes it.
    /// - Throws: When the server cannot bind, or a service fails.
    public func run() async throws {
        try await run(gracefulShutdownSignals: [])
    }

    /// Runs the server as ``run()`` does, shutting down gracefully on the given signals.
    /// - Throws: When the server cannot bind, or a service fails.
    public func run(gracefulShutdownSignals: [UnixSignal]) async throws {
        let recovered = try await coordinator.recoverInterruptedRuns()
        if !recovered.isEmpty {
            configuration.logger.info(
                "recovered interrupted runs",
                metadata: [
                    "resumed": "\(recovered.count { $0.decision == .resumed })",
                    "interrupted": "\(recovered.count { $0.decision == .interrupted })",
                ])
        }
        let application = buildGatewayApplication(
            services: services, routes: routes, onServerRunning: onServerRunning)
        var groupConfiguration = ServiceGroupConfiguration(
            services: [
                ServiceGroupConfiguration.ServiceConfiguration(service: CoordinatorService(coordinator: coordinator)),
                ServiceGroupConfiguration.ServiceConfiguration(service: application),
            ],
            logger: configuration.logger)
        groupConfiguration.gracefulShutdownSignals = gracefulShutdownSignals
        try await ServiceGroup(configuration: groupConfiguration).run()
    }

    /// Closes the journal: ends subscriptions and fails later appends.
    /// - Throws: `JournalError` when the file cannot be closed.
    public func close() throws {
        try journal.close()
    }
}

/// The coordinator's long-running body as a service. On graceful shutdown it takes no new runs, lets open runs
/// finish within its grace period and journals the rest as interrupted.
struct CoordinatorService: Service {
    let coordinator: RunCoordinator

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await coordinator.run()
        } onGracefulShutdown: {
            coordinator.beginShutdown()
        }
    }
}
