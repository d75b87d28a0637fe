import GRDB
import GRDBSQLite

extension RecordedEvent {
    /// The columns every read selects, in the order `init(row:)` reads them.
    static let selection = """
        seq, event_id, stream, stream_version, type, schema_version, user_id, thread_id, run_id, connection_id, \
        causation_seq, correlation_id, payload, recorded_at, prev_hash, hash
        """

    /// Reads an event from a row of `selection`.
    init(row: Row) {
        self.init(
            seq: row[0], eventID: row[1], stream: row[2], streamVersion: row[3], type: row[4], schemaVersion: row[5],
            userID: row[6], threadID: row[7], runID: row[8], connectionID: row[9], causationSeq: row[10],
            correlationID: row[11], payload: row[12], recordedAt: row[13], prevHash: row[14], hash: row[15])
    }

    /// Reads an event from the current row of a stepped statement of `selection`, straight from SQLite.
    init(statement: SQLiteStatement) {
        func text(_ index: Int32) -> String {
            guard let bytes = sqlite3_column_text(statement, index) else { return "" }
            let count = Int(sqlite3_column_bytes(statement, index))
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }
        func optionalText(_ index: Int32) -> String? {
            sqlite3_column_type(statement, index) == SQLITE_NULL ? nil : text(index)
        }
        func optionalInt(_ index: Int32) -> Int64? {
            sqlite3_column_type(statement, index) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, index)
        }
        self.init(
            seq: sqlite3_column_int64(statement, 0), eventID: text(1), stream: text(2),
            streamVersion: sqlite3_column_int64(statement, 3), type: text(4),
            schemaVersion: Int(sqlite3_column_int64(statement, 5)), userID: optionalText(6), threadID: optionalText(7),
            runID: optionalText(8), connectionID: optionalText(9), causationSeq: optionalInt(10),
            correlationID: optionalText(11), payload: text(12), recordedAt: text(13), prevHash: text(14), hash: text(15)
        )
    }

    /// Steps `statement` (already bound) and calls `body` with each event.
    static func forEach(in statement: Statement, _ body: (RecordedEvent) throws -> Void) throws {
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_ROW: try body(RecordedEvent(statement: handle))
            case SQLITE_DONE: return
            case let code:
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code),
                    message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))))
            }
        }
    }
}
