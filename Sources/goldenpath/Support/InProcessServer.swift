import AgentRuntime
import Foundation
import Gateway
import Journal
import Logging
import ServiceLifecycle
import StandardPipeline

/// Runs the full server in this process on a free loopback port for the duration of `body`, then shuts it down
/// gracefully and closes the journal. Used by `demo` and `bench load` (which passes its own `llm` and `agents`:
/// a streaming scripted model and a delta window).
func withInProcessServer<T: Sendable>(
    journalPath: String, durability: JournalConfiguration.Durability, bcryptCost: UInt8 = 12,
    limits: (inout GatewayConfiguration.Limits) -> Void = { _ in },
    llm: (any LLMClient)? = nil, agents: AgentsConfiguration = AgentsConfiguration(),
    _ body: @Sendable (_ port: Int, _ server: GoldenPathServer) async throws -> T
) async throws -> T {
    var configuration = GatewayConfiguration(jwtSecret: try signingSecret(forJournalAt: journalPath))
    configuration.host = "127.0.0.1"
    configuration.port = 0
    configuration.durability = durability
    configuration.bcryptCost = bcryptCost
    // The demo and `bench load` sign every user up from 127.0.0.1.
    configuration.limits.signupsPerAddressPerMinute = 100_000
    limits(&configuration.limits)
    var logger = Logger(label: "goldenpath")
    logger.logLevel = .warning
    configuration.logger = logger
    let (ports, portContinuation) = AsyncStream<Int>.makeStream()
    let server = try await GoldenPathServer(
        pipeline: StandardPipeline.make(), configuration: configuration, journalPath: journalPath, llm: llm,
        agents: agents,
        onServerRunning: { port in
            portContinuation.yield(port)
            portContinuation.finish()
        })
    let group = ServiceGroup(services: [server], logger: logger)
    let outcome = try await withThrowingTaskGroup(of: T?.self) { tasks in
        tasks.addTask {
            defer { portContinuation.finish() }
            try await group.run()
            return nil
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await tasks.waitForAll()
            throw ClientFailure(status: 0, code: nil, description: "the server stopped before it listened")
        }
        let result: Result<T, any Error>
        do {
            result = .success(try await body(port, server))
        } catch {
            result = .failure(error)
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return try result.get()
    }
    try server.close()
    return outcome
}
