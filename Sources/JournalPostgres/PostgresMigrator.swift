import Foundation
import Journal
import Logging
import PostgresNIO

/// Applies schema files to a PostgreSQL journal once each, in order, in one transaction under an advisory lock, so
/// that gateways starting together do not apply a file twice. Applied files are recorded in `goldenpath_migrations`.
enum PostgresMigrator {
    /// The advisory lock's first key (any constant other programs sharing the database do not use); the second is
    /// the schema's, so that journals in different schemas of one database migrate side by side.
    static let lockKey: Int32 = 0x676f_6c64  // "gold"

    /// Applies what is not applied yet; creates the URL's `search_path` schema first when it is missing.
    static func migrate(
        _ migrations: [SchemaMigration], readOnly: Bool, schema: String?, client: PostgresClient, logger: Logger
    ) async throws {
        try await client.withConnection { connection in
            if readOnly {
                try await connection.query("SELECT seq FROM journal_head WHERE id = 1", logger: logger)
                return
            }
            try await connection.query("BEGIN", logger: logger)
            do {
                try await connection.query(
                    "SELECT pg_advisory_xact_lock(\(lockKey), hashtext(\(schema ?? "public")))", logger: logger)
                if let schema {
                    let quoted = "\"" + schema.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                    try await connection.query(
                        PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(quoted)"), logger: logger)
                }
                try await connection.query(
                    """
                    CREATE TABLE IF NOT EXISTS goldenpath_migrations (
                        name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                    """, logger: logger)
                var applied: Set<String> = []
                let rows = try await connection.query("SELECT name FROM goldenpath_migrations", logger: logger)
                for try await name in rows.decode(String.self) { applied.insert(name) }
                for migration in migrations where !applied.contains(migration.name) {
                    guard let sql = migration.postgresSQL else {
                        throw JournalError(
                            code: .cannotOpen,
                            message: "migration \(migration.name) has no PostgreSQL SQL (schema/postgres/\(migration.name).sql)")
                    }
                    for statement in statements(of: sql) {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.query(
                        "INSERT INTO goldenpath_migrations (name) VALUES (\(migration.name))", logger: logger)
                }
                try await connection.query("COMMIT", logger: logger)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// The statements of a schema file: split at each `;` that ends a line outside a `$$ … $$` body, with comment
    /// lines and blank statements dropped (postgres-nio sends one statement per query).
    static func statements(of sql: String) -> [String] {
        var statements: [String] = []
        var current: [Substring] = []
        var inBody = false
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if !inBody, trimmed.hasPrefix("--") || trimmed.isEmpty { continue }
            current.append(line)
            if line.components(separatedBy: "$$").count % 2 == 0 { inBody.toggle() }
            if !inBody, trimmed.hasSuffix(";") {
                statements.append(current.joined(separator: "\n"))
                current.removeAll()
            }
        }
        let rest = current.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty { statements.append(rest) }
        return statements
    }
}
