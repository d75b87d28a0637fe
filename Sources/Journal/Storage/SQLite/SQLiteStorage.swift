import Foundation
package import GRDB
import GRDBSQLite
import Logging

/// The journal in one SQLite file in WAL mode, through GRDB: the default backend.
///
/// One writer connection appends (batches from ``GroupCommitWriter``, each one `BEGIN IMMEDIATE` transaction);
/// reader connections read snapshots and never block it. The SQL lives here and in `schema/*.sql`.
package final class SQLiteStorage: JournalStorage {
    /// The database file.
    package let path: String
    let pool: DatabasePool
    let projections: [any JournalProjection]
    let tables: [String: ProjectionTable]
    let faultInjector: (any StorageFaultInjector)?

    /// Opens (creating if needed) the file and applies the schema files not applied yet.
    /// - Throws: `JournalError` (`notADatabase`, `readOnly`, `cannotOpen`, …) when the file cannot serve as a journal.
    package init(path: String, configuration: JournalConfiguration) throws {
        self.path = path
        self.projections = configuration.inlineProjections
        self.tables = Dictionary(
            configuration.inlineProjections.flatMap(\.tables).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.faultInjector = configuration.faultInjector
        var grdb = Configuration()
        grdb.busyMode = .timeout(TimeInterval(configuration.busyTimeout.components.seconds))
        grdb.readonly = configuration.readOnly
        grdb.label = "goldenpath.journal"
        do {
            pool = try DatabasePool(path: path, configuration: grdb)
        } catch {
            throw JournalError.wrap(error, "cannot open \(path)")
        }
        do {
            if !configuration.readOnly {
                var migrator = DatabaseMigrator()
                for migration in SchemaMigration.journalLayer + configuration.migrations {
                    migrator.registerMigration(migration.name) { db in try db.execute(sql: migration.sql) }
                }
                try migrator.migrate(pool)
                // Set after opening: GRDB resets `synchronous` when it is set while preparing the connection.
                try pool.barrierWriteWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA synchronous = \(configuration.durability.pragmaValue)")
                }
            } else {
                _ = try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") }
            }
        } catch {
            try? pool.close()
            throw JournalError.wrap(error, "cannot open \(path) as a journal")
        }
    }

    package var description: String { path }

    package var engineCheckName: String? { "sqlite" }

    // MARK: - Reads

    package func read<T: Sendable>(_ body: @escaping @Sendable (any StorageSnapshot) throws -> T) async throws -> T {
        try await readDatabase { db in try body(SQLiteSnapshot(database: db)) }
    }

    package func engineCheck() async throws -> [String] {
        let result = try await readDatabase { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        return result == ["ok"] ? [] : result
    }

    /// A write transaction that allocates pages (a table and a page-sized row), then rolls them back: it fails
    /// as an append would when the file is locked by another process (`busy`), full, read-only, failing I/O or
    /// closed, and leaves nothing behind.
    package func probeWrite() async throws {
        try await writeDatabase { db in
            try db.execute(sql: "SAVEPOINT goldenpath_healthz")
            do {
                try db.execute(sql: "CREATE TABLE goldenpath_healthz_probe (x BLOB)")
                try db.execute(sql: "INSERT INTO goldenpath_healthz_probe (x) VALUES (zeroblob(65536))")
            } catch {
                try? db.execute(sql: "ROLLBACK TO SAVEPOINT goldenpath_healthz")
                try? db.execute(sql: "RELEASE SAVEPOINT goldenpath_healthz")
                throw error
            }
            try db.execute(sql: "ROLLBACK TO SAVEPOINT goldenpath_healthz")
            try db.execute(sql: "RELEASE SAVEPOINT goldenpath_healthz")
        }
    }

    package func rows(
        sql: String, arguments: [ProjectionRow.Value], write: Bool
    ) async throws -> [[ProjectionRow.Value]] {
        let body: @Sendable (Database) throws -> [[ProjectionRow.Value]] = { db in
            let statement = try db.makeStatement(sql: sql)
            SQLiteRows.bind(arguments, to: statement.sqliteStatement)
            return try SQLiteRows.values(from: statement)
        }
        return write ? try await writeDatabase(body) : try await readDatabase(body)
    }

    /// Runs SQL on a reader connection (WAL: never blocks or is blocked by the writer).
    package func readDatabase<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch let cancellation as CancellationError {
            throw cancellation
        } catch {
            throw JournalError.wrap(error, "cannot read the journal")
        }
    }

    /// Runs SQL in a write transaction on the writer (between the group commit's batches).
    package func writeDatabase<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch let cancellation as CancellationError {
            throw cancellation
        } catch {
            throw JournalError.wrap(error, "cannot write the journal")
        }
    }

    // MARK: - Projections

    package func rebuild(_ projections: [any JournalProjection]) async throws {
        try await writeDatabase { db in try Self.rebuild(projections, in: db) }
    }

    /// Empties the projections' tables and folds every event into them (in the caller's transaction).
    static func rebuild(_ projections: [any JournalProjection], in db: Database) throws {
        for table in projections.flatMap(\.tables) {
            try db.execute(sql: "DELETE FROM \(table.name.quotedDatabaseIdentifier)")
        }
        var rows = ProjectionRows()
        var folded = 0
        let events = try db.cachedStatement(sql: "SELECT \(RecordedEvent.selection) FROM events ORDER BY seq")
        try RecordedEvent.forEach(in: events) { event in
            try ProjectionFold.applyFromEmpty(event, to: projections, rows: &rows)
            folded += 1
            if folded % 1_000 == 0 { try SQLiteRows.write(rows.takeChanges(), in: db) }
        }
        try SQLiteRows.write(rows.takeChanges(), in: db)
    }

    package func catchUp(_ projection: any JournalProjection) async throws -> Int64 {
        let tables = Dictionary(projection.tables.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        return try await writeDatabase { db in
            let checkpoint =
                try Int64.fetchOne(
                    db, sql: "SELECT seq FROM projection_checkpoints WHERE name = ?", arguments: [projection.name]) ?? 0
            var last = checkpoint
            var rows = ProjectionRows()
            let events = try db.cachedStatement(
                sql: "SELECT \(RecordedEvent.selection) FROM events WHERE seq > ? ORDER BY seq")
            try events.setArguments([checkpoint])
            try RecordedEvent.forEach(in: events) { event in
                try ProjectionFold.apply(event, to: [projection], rows: &rows) { ids in
                    try SQLiteRows.load(ids, tables: tables, in: db)
                }
                last = event.seq
            }
            try SQLiteRows.write(rows.takeChanges(), in: db)
            try db.execute(
                sql: """
                    INSERT INTO projection_checkpoints (name, seq) VALUES (?, ?)
                    ON CONFLICT (name) DO UPDATE SET seq = excluded.seq
                    """,
                arguments: [projection.name, last])
            return last
        }
    }

    // MARK: - Lifecycle

    /// Copies the database to `destination` consistently while appends continue (SQLite's online backup).
    package func backup(to destination: String) throws {
        do {
            let target = try DatabaseQueue(path: destination)
            try pool.backup(to: target)
            try target.close()
        } catch {
            throw JournalError.wrap(error, "cannot back up to \(destination)")
        }
    }

    package func close() throws {
        do {
            try pool.close()
        } catch {
            throw JournalError.wrap(error, "cannot close \(path)")
        }
    }
}

/// Reads on a reader connection's transaction.
struct SQLiteSnapshot: StorageSnapshot {
    let database: Database

    func headSeq() throws -> Int64 {
        try Int64.fetchOne(database, sql: "SELECT MAX(seq) FROM events") ?? 0
    }

    func forEachEvent(
        after seq: Int64, filter: EventFilter, limit: Int?, _ body: (RecordedEvent) throws -> Void
    ) throws {
        let (condition, argument) = filter.sqlCondition
        let statement = try database.cachedStatement(
            sql: "SELECT \(RecordedEvent.selection) FROM events WHERE seq > ? AND \(condition) ORDER BY seq LIMIT ?")
        var arguments: [any DatabaseValueConvertible] = [seq]
        if let argument { arguments.append(argument) }
        arguments.append(limit ?? -1)
        try statement.setArguments(StatementArguments(arguments))
        try RecordedEvent.forEach(in: statement, body)
    }

    func rows(_ query: RowQuery) throws -> [ProjectionRow] {
        let (sql, arguments) = query.sql { "?\($0)" }
        let statement = try database.cachedStatement(sql: sql)
        SQLiteRows.bind(arguments, to: statement.sqliteStatement)
        return try SQLiteRows.values(from: statement).map { values in
            ProjectionRow(table: query.from, key: [], columns: zip(query.columns, values).map { ($0, $1) })
        }
    }

    func rows(of table: ProjectionTable) throws -> [ProjectionRow] {
        let statement = try database.makeStatement(
            sql: "SELECT \(table.columns.map(\.name).joined(separator: ", ")) FROM \(table.name)")
        return try SQLiteRows.fetch(table, from: statement)
    }
}

extension EventFilter {
    /// The filter as a `WHERE` condition with one `?` (or none).
    var sqlCondition: (sql: String, argument: String?) {
        switch self {
        case .all: ("1", nil)
        case .user(let id): ("user_id = ?", id)
        case .run(let id): ("run_id = ?", id)
        case .thread(let id): ("thread_id = ?", id)
        case .stream(let name): ("stream = ?", name)
        }
    }
}
