import GRDB

/// One row a projection writes, as plain values: the backend-neutral way a projection stores what it folded.
/// Written with ``write(in:)`` as an upsert keyed by ``key`` (`INSERT … ON CONFLICT (key) DO UPDATE`), inside
/// the append transaction; a second storage backend renders the same row in its own SQL.
///
/// ```swift
/// try ProjectionRow(table: "runs", key: ["run_id"], columns: [
///     ("run_id", .text(runID)), ("status", .text("running")), ("event_count", .integer(3)),
/// ]).write(in: db)
/// ```
public struct ProjectionRow: Sendable {
    /// A column's value.
    public enum Value: Sendable, Hashable {
        /// `NULL`.
        case null
        /// An integer (booleans are 0 and 1).
        case integer(Int64)
        /// A floating-point number.
        case real(Double)
        /// Text.
        case text(String)

        /// `NULL` for nil, else the text.
        public static func text(_ value: String?) -> Value { value.map { .text($0) } ?? .null }
        /// `NULL` for nil, else the integer.
        public static func integer(_ value: Int64?) -> Value { value.map { .integer($0) } ?? .null }
        /// 0 or 1.
        public static func boolean(_ value: Bool) -> Value { .integer(value ? 1 : 0) }
    }

    /// What writing a row whose key exists does.
    public enum ConflictPolicy: Sendable, Hashable {
        /// Update every non-key column (a projection's fold).
        case update
        /// Fail with the database's constraint error (a row that must be new, such as an account).
        case fail
    }

    /// The table.
    public var table: String
    /// The columns of its primary (or a unique) key.
    public var key: [String]
    /// Every column written, key columns included, in a fixed order (so that the statement is cached).
    public var columns: [(name: String, value: Value)]
    /// What a write does when the key exists (default ``ConflictPolicy/update``).
    public var onConflict: ConflictPolicy

    /// Creates a row.
    public init(
        table: String, key: [String], columns: [(name: String, value: Value)], onConflict: ConflictPolicy = .update
    ) {
        self.table = table
        self.key = key
        self.columns = columns
        self.onConflict = onConflict
    }

    /// Inserts the row, or updates every non-key column of the row with the same key.
    /// - Throws: A database error (the append transaction then rolls back).
    public func write(in db: Database) throws {
        let names = columns.map(\.name)
        var sql = """
            INSERT INTO \(table) (\(names.joined(separator: ", "))) \
            VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))
            """
        if onConflict == .update {
            let updates = names.filter { !key.contains($0) }.map { "\($0) = excluded.\($0)" }
            sql += " ON CONFLICT (\(key.joined(separator: ", "))) DO "
            sql += updates.isEmpty ? "NOTHING" : "UPDATE SET " + updates.joined(separator: ", ")
        }
        try db.cachedStatement(sql: sql).execute(arguments: StatementArguments(columns.map(\.value.databaseValue)))
    }
}

extension ProjectionRow.Value {
    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .integer(let value): value.databaseValue
        case .real(let value): value.databaseValue
        case .text(let value): value.databaseValue
        }
    }
}
