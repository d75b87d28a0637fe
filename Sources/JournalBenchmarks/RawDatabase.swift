import GRDBSQLite

/// A SQLite connection on the C API, for the raw-sqlite peer: no GRDB, no queue, used from one task only.
final class RawDatabase {
    /// The `sqlite3 *` handle.
    let handle: OpaquePointer

    /// Opens the database at `path`, read-write (creating it) or read-only.
    /// - Throws: `BenchmarkError` (`sqlite`) when SQLite cannot open it.
    init(path: String, readOnly: Bool = false) throws {
        var connection: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &connection, flags, nil)
        guard code == SQLITE_OK, let connection else {
            let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "code \(code)"
            if let connection { sqlite3_close_v2(connection) }
            throw BenchmarkError(code: .sqlite, message: "cannot open \(path): \(message)")
        }
        handle = connection
        sqlite3_busy_timeout(connection, 5_000)
    }

    /// Opens a fresh database at `path` for a writing phase: WAL, `synchronous` as `sync`, then `schema` (each
    /// statement list in its own transaction).
    /// - Throws: `BenchmarkError` (`sqlite`).
    static func forWriting(path: String, sync: SyncMode, schema: [String]) throws -> RawDatabase {
        let database = try RawDatabase(path: path)
        try database.execute("PRAGMA journal_mode = WAL")
        try database.execute("PRAGMA synchronous = \(sync.pragmaValue)")
        try database.execute("PRAGMA foreign_keys = ON")
        for sql in schema {
            try database.execute("BEGIN; \(sql); COMMIT")
        }
        return database
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs one or more SQL statements (schema, pragmas), outside any timed loop.
    /// - Throws: `BenchmarkError` (`sqlite`) with SQLite's message.
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        guard code == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? "code \(code)"
            sqlite3_free(message)
            throw BenchmarkError(code: .sqlite, message: "\(text) in: \(sql.prefix(80))")
        }
    }

    /// Prepares a statement, to be reused.
    /// - Throws: `BenchmarkError` (`sqlite`) with SQLite's message.
    func prepare(_ sql: String) throws -> RawStatement {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw error(code, "cannot prepare \(sql.prefix(80))")
        }
        return RawStatement(handle: statement, database: self)
    }

    /// The error SQLite reports for `code` on this connection.
    func error(_ code: Int32, _ context: String) -> BenchmarkError {
        BenchmarkError(code: .sqlite, message: "\(context): \(String(cString: sqlite3_errmsg(handle))) (\(code))")
    }
}
