/// One schema file from `schema/`, applied once, in order, by the journal's migrator.
///
/// Each layer (journal, agents, gateway) owns the files named after it; `tools/generate-schema.sh` embeds them,
/// and a test fails when an embedded copy differs from its file.
public struct SchemaMigration: Sendable, Hashable {
    /// The file name without `.sql` (`0001_journal`); also the migration's identifier in the database.
    public var name: String
    /// The file's SQL text, for SQLite.
    public var sql: String
    /// The same migration in PostgreSQL's SQL, for a PostgreSQL journal (the file of the same name under
    /// `schema/postgres/`); nil when it has none, and a PostgreSQL journal then refuses to open with it.
    public var postgresSQL: String?

    /// Creates a migration from a name, its SQLite SQL and (for PostgreSQL journals) its PostgreSQL SQL.
    public init(name: String, sql: String, postgresSQL: String? = nil) {
        self.name = name
        self.sql = sql
        self.postgresSQL = postgresSQL
    }
}
