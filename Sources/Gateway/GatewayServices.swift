import AgentRuntime
import Journal

/// The parts one application shares between its routes and its WebSocket sessions. No globals: each
/// application builds its own.
struct GatewayServices: Sendable {
    let configuration: GatewayConfiguration
    let journal: EventJournal
    let coordinator: RunCoordinator
    let queries: RunQueries
    let tokens: TokenService
    let auth: AuthService
    let events: GatewayEvents
    let metrics: GatewayMetrics
    let connections: ConnectionRegistry
    let rateLimiter: RateLimiter

    /// The current time as frame text.
    var timestamp: String { Timestamp.string(from: configuration.clock()) }
}
