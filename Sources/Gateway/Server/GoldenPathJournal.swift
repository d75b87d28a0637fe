import AgentRuntime
import Journal

/// Opens a GoldenPath journal: the journal with every layer's schema (journal, agents, gateway), the inline
/// projections and the integrity checks (including ``CrossUserDeliveriesCheck``). The server and every command
/// that opens a journal use this, so they all see the same file the same way.
public enum GoldenPathJournal {
    /// The journal configuration with every layer's migrations, projections and checks.
    public static func configuration(durability: JournalConfiguration.Durability = .full) -> JournalConfiguration {
        var configuration = JournalConfiguration()
        configuration.durability = durability
        AgentsJournal.configure(&configuration)
        configuration.migrations += SchemaMigration.gatewayLayer
        configuration.integrityChecks.append(CrossUserDeliveriesCheck())
        return configuration
    }

    /// The journal configuration a server with `gateway`'s configuration runs on: every layer's migrations,
    /// projections and checks, with the gateway's durability, clock, busy timeout and fault injector.
    public static func configuration(for gateway: GatewayConfiguration) -> JournalConfiguration {
        var configuration = configuration(durability: gateway.durability)
        configuration.clock = gateway.clock
        configuration.busyTimeout = gateway.journalBusyTimeout
        configuration.faultInjector = gateway.journalFaultInjector
        return configuration
    }

    /// Opens (creating if needed) the journal at `path` with ``configuration(durability:)``.
    /// - Throws: `JournalError` when the file cannot serve as a journal.
    public static func open(path: String, durability: JournalConfiguration.Durability = .full) throws
        -> EventJournal
    {
        try EventJournal(path: path, configuration: configuration(durability: durability))
    }
}
