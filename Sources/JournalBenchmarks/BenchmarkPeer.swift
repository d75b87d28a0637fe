/// The peer that produced a line: our journal, or the same work written directly on SQLite's C API.
public enum BenchmarkPeer: String, Sendable, Hashable, Codable, CaseIterable {
    /// `EventJournal`, through its public API.
    case goldenpath
    /// The same SQL work on the SQLite C API with reused prepared statements: the limit we measure against.
    case rawSQLite = "raw-sqlite"
}
