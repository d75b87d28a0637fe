/// The peer that produced a line: our journal, the same work written directly on SQLite's C API, or the workload on
/// a minimal schema.
public enum BenchmarkPeer: String, Sendable, Hashable, Codable, CaseIterable {
    /// `EventJournal`, through its public API.
    case goldenpath
    /// `EventJournal` on PostgreSQL (`--database-url`), through the same public API.
    case goldenpathPostgres = "goldenpath-postgres"
    /// The same SQL work on the SQLite C API with reused prepared statements: the limit we measure against.
    case rawSQLite = "raw-sqlite"
    /// The workload on the smallest schema that holds it (seq, stream, version, type, payload), on the C API with
    /// the same JSON codec: the price of every journal feature at once.
    case minimalSQLite = "minimal-sqlite"
}
