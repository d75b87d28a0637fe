import Journal

/// What a journal needs to serve the Agents layer: its schema, inline projections and integrity checks.
public enum AgentsJournal {
    /// The `runs`, `threads` and `messages` projections, applied inside every append transaction.
    public static let inlineProjections: [any JournalProjection] = [
        RunsProjection(), ThreadsProjection(), MessagesProjection(),
    ]

    /// No event inside a run owned by another user (failure); runs without a terminal event (warning).
    public static let integrityChecks: [any IntegrityCheck] = [CrossUserEventsCheck(), UnterminatedRunsCheck()]

    /// The Agents layer's schema files (`schema/*_agents.sql`).
    public static var migrations: [SchemaMigration] { SchemaMigration.agentsLayer }

    /// Adds the Agents layer's migrations, projections and checks to a journal configuration.
    public static func configure(_ configuration: inout JournalConfiguration) {
        configuration.migrations += migrations
        configuration.inlineProjections += inlineProjections
        configuration.integrityChecks += integrityChecks
    }
}
