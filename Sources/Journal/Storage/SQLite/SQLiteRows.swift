import GRDB
import GRDBSQLite

/// SQLite's SQLITE_TRANSIENT: it copies bound text before `bind` returns.
let sqliteTransient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// Projection rows in SQLite's SQL: reads by key, upserts and partial updates, bound on the C statement
/// (`StatementArguments` boxes every value: docs/BENCHMARKS.md).
enum SQLiteRows {
    /// Writes a fold's changes in order.
    static func write(_ changes: [ProjectionRows.Change], in db: Database) throws {
        for change in changes {
            switch change {
            case .write(let row):
                try write(row, in: db)
            case .update(let id, let key, let columns):
                let sql = """
                    UPDATE \(id.table) SET \(columns.map { "\($0.name) = ?" }.joined(separator: ", ")) \
                    WHERE \(key.map { "\($0) = ?" }.joined(separator: " AND "))
                    """
                try execute(db.cachedStatement(sql: sql), binding: columns.map(\.value) + id.key, in: db)
            }
        }
    }

    /// Inserts a row, or updates every non-key column of the row with the same key (by its policy).
    static func write(_ row: ProjectionRow, in db: Database) throws {
        let names = row.columns.map(\.name)
        var sql = """
            INSERT INTO \(row.table) (\(names.joined(separator: ", "))) \
            VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))
            """
        if row.onConflict == .update {
            let updates = names.filter { !row.key.contains($0) }.map { "\($0) = excluded.\($0)" }
            sql += " ON CONFLICT (\(row.key.joined(separator: ", "))) DO "
            sql += updates.isEmpty ? "NOTHING" : "UPDATE SET " + updates.joined(separator: ", ")
        }
        try execute(db.cachedStatement(sql: sql), binding: row.columns.map(\.value), in: db)
    }

    /// Reads the rows with these ids (absent ones are missing from the answer).
    static func load(
        _ ids: [ProjectionRow.ID], tables: [String: ProjectionTable], in db: Database
    ) throws -> [ProjectionRow.ID: ProjectionRow] {
        var found: [ProjectionRow.ID: ProjectionRow] = [:]
        for id in ids {
            guard let table = tables[id.table] else {
                throw JournalError(code: .storage, message: "no projection declares the table of \(id)")
            }
            let statement = try db.cachedStatement(
                sql: """
                    SELECT \(table.columns.map(\.name).joined(separator: ", ")) FROM \(table.name) \
                    WHERE \(table.key.map { "\($0) = ?" }.joined(separator: " AND "))
                    """)
            bind(id.key, to: statement.sqliteStatement)
            if let row = try fetch(table, from: statement).first { found[id] = row }
        }
        return found
    }

    /// Every row the (bound) statement answers, its columns those of `table` in order.
    static func fetch(_ table: ProjectionTable, from statement: Statement) throws -> [ProjectionRow] {
        let names = table.columns.map(\.name)
        return try values(from: statement).map { values in
            ProjectionRow(table: table.name, key: table.key, columns: zip(names, values).map { ($0, $1) })
        }
    }

    /// Every row the (bound) statement answers, as plain values, column by column; the statement is reset after.
    static func values(from statement: Statement) throws -> [[ProjectionRow.Value]] {
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        let count = sqlite3_column_count(handle)
        var rows: [[ProjectionRow.Value]] = []
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_ROW:
                rows.append((0..<count).map { value(at: $0, of: handle) })
            case SQLITE_DONE:
                return rows
            case let code:
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code),
                    message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))))
            }
        }
    }

    static func value(at index: Int32, of handle: SQLiteStatement) -> ProjectionRow.Value {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, index))
        default:
            guard let bytes = sqlite3_column_text(handle, index) else { return .text("") }
            let count = Int(sqlite3_column_bytes(handle, index))
            return .text(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self))
        }
    }

    static func bind(_ values: [ProjectionRow.Value], to handle: SQLiteStatement) {
        sqlite3_reset(handle)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .null: sqlite3_bind_null(handle, index)
            case .integer(let integer): sqlite3_bind_int64(handle, index, integer)
            case .real(let real): sqlite3_bind_double(handle, index, real)
            case .text(let text): bindText(text, at: index, of: handle)
            }
        }
    }

    /// Binds text with its length, so that a NUL inside it is kept (a length of -1 would end the text there).
    static func bindText(_ text: String, at index: Int32, of handle: SQLiteStatement) {
        var text = text
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { characters in
                guard let start = characters.baseAddress else {
                    _ = sqlite3_bind_text(handle, index, "", 0, sqliteTransient)
                    return
                }
                _ = sqlite3_bind_text(handle, index, start, Int32(characters.count), sqliteTransient)
            }
        }
    }

    static func execute(_ statement: Statement, binding values: [ProjectionRow.Value], in db: Database) throws {
        let handle = statement.sqliteStatement
        bind(values, to: handle)
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }
}
