/// One schema file from `schema/`, applied once, in order, by the journal's migrator.
///
/// Each layer (journal, agents, gateway) owns the files named after it; `tools/generate-schema.sh` embeds them,
/// and a test fails when an embedded copy differs from its file.
public struct SchemaMigration: Sendable, Hashable {
    /// The file name without `.sql` (`0001_journal`); also the migration's identifier in the database.
    public var name: String
    /// The file's SQL text.
    public var sql: String

    /// Creates a migration from a name and its SQL text.
    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
    }
}
