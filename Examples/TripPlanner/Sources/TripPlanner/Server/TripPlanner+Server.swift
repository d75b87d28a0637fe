import AgentRuntime
import Gateway

extension TripPlanner {
    /// The whole GoldenPath server running the trip planner, with its own route `GET /api/trips/latest`.
    ///
    /// ```swift
    /// let server = try await TripPlanner.makeServer(
    ///     configuration: GatewayConfiguration(jwtSecret: secret), journalPath: "trips.sqlite")
    /// try await server.run(gracefulShutdownSignals: [.sigterm, .sigint])
    /// try server.close()
    /// ```
    /// - Parameters:
    ///   - configuration: The gateway's configuration (host, port, secret, logger, …).
    ///   - journalPath: The journal's SQLite file (created if missing).
    ///   - llm: The language model (default: ``ScriptedConcierge/makeLLM(then:)``, offline).
    ///   - agents: Run limits, timeouts and tool replacements.
    ///   - paymentToken: Where the booker gets each user's payment token (default: the demo token).
    ///   - onServerRunning: Called with the bound port once the server listens.
    /// - Throws: `JournalError` when the journal cannot be opened; `GatewayError` when the secret is too short.
    public static func makeServer(
        configuration: GatewayConfiguration, journalPath: String, llm: (any LLMClient)? = nil,
        agents: AgentsConfiguration = AgentsConfiguration(),
        paymentToken: @escaping PaymentTokenProvider = { _ in TripPlanner.demoPaymentToken },
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws -> GoldenPathServer {
        let trips = TripRoutes()
        let server = try await GoldenPathServer(
            pipeline: pipeline(paymentToken: paymentToken), configuration: configuration, journalPath: journalPath,
            llm: llm ?? ScriptedConcierge.makeLLM(), agents: agents,
            routes: { routes in trips.register(on: routes.protected) },
            onServerRunning: onServerRunning)
        trips.attach(server.journal)
        return server
    }
}
