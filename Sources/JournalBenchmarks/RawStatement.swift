import Foundation
import GRDBSQLite

/// SQLite's marker for "copy the bound bytes now".
private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// A prepared statement on the C API, created once and reused (reset after each use).
final class RawStatement {
    private let handle: OpaquePointer
    /// Keeps the connection open while the statement lives.
    private let database: RawDatabase

    init(handle: OpaquePointer, database: RawDatabase) {
        self.handle = handle
        self.database = database
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Binds text to parameter `index` (from 1).
    func bind(_ index: Int32, _ text: String) {
        sqlite3_bind_text(handle, index, text, -1, transient)
    }

    /// Binds text, or NULL, to parameter `index`.
    func bind(_ index: Int32, _ text: String?) {
        if let text { bind(index, text) } else { sqlite3_bind_null(handle, index) }
    }

    /// Binds an integer to parameter `index`.
    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    /// Binds NULL to parameter `index`.
    func bindNull(_ index: Int32) {
        sqlite3_bind_null(handle, index)
    }

    /// Steps once: true when a row is available, false when the statement is done.
    /// - Throws: `BenchmarkError` (`sqlite`) on any other result.
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: throw database.error(code, "step failed")
        }
    }

    /// Runs a statement that returns no row, then resets it.
    func run() throws {
        defer { sqlite3_reset(handle) }
        _ = try step()
    }

    /// Resets the statement for its next use (bindings are replaced by the next use's binds).
    func reset() {
        sqlite3_reset(handle)
    }

    /// True when column `index` (from 0) of the current row is NULL.
    func isNull(_ index: Int32) -> Bool {
        sqlite3_column_type(handle, index) == SQLITE_NULL
    }

    /// Column `index` of the current row as an integer.
    func int64(_ index: Int32) -> Int64 {
        sqlite3_column_int64(handle, index)
    }

    /// Column `index` of the current row as text.
    func text(_ index: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, index) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// Column `index` of the current row as bytes (the payload's JSON text, for the decoder).
    func data(_ index: Int32) -> Data {
        guard let bytes = sqlite3_column_blob(handle, index) else { return Data() }
        return Data(bytes: bytes, count: Int(sqlite3_column_bytes(handle, index)))
    }
}
