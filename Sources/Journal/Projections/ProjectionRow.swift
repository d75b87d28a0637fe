/// One row a projection writes, as plain values: the backend-neutral way a projection stores what it folded.
///
/// A fold puts rows into its ``ProjectionRows`` working set; the storage backend writes them inside the append
/// transaction as upserts keyed by ``key`` (SQLite and PostgreSQL alike: `INSERT … ON CONFLICT (key) DO UPDATE`).
/// Rows written beside an append (``EventJournal/append(_:to:expectedVersion:alongside:)``) take the same form.
///
/// ```swift
/// rows.write(ProjectionRow(table: "runs", key: ["run_id"], columns: [
///     ("run_id", .text(runID)), ("status", .text("running")), ("event_count", .integer(3)),
/// ]))
/// ```
public struct ProjectionRow: Sendable, Hashable {
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

        /// The text, or nil for any other value.
        public var textValue: String? {
            if case .text(let text) = self { return text }
            return nil
        }

        /// The integer, or nil for any other value.
        public var integerValue: Int64? {
            if case .integer(let integer) = self { return integer }
            return nil
        }
    }

    /// Which row of which table: the table and the values of its key columns, in the key's order.
    public struct ID: Sendable, Hashable, CustomStringConvertible {
        /// The table.
        public var table: String
        /// The key columns' values.
        public var key: [Value]

        /// Identifies the row of `table` whose key is `key`.
        public init(table: String, key: [Value]) {
            self.table = table
            self.key = key
        }

        public var description: String { "\(table)\(key)" }
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
    public var columns: [Column]
    /// What a write does when the key exists (default ``ConflictPolicy/update``).
    public var onConflict: ConflictPolicy

    /// A column and its value.
    public typealias Column = (name: String, value: Value)

    /// Creates a row.
    public init(
        table: String, key: [String], columns: [Column], onConflict: ConflictPolicy = .update
    ) {
        self.table = table
        self.key = key
        self.columns = columns
        self.onConflict = onConflict
    }

    /// The value of a column, nil when the row has no such column.
    public subscript(column: String) -> Value? {
        columns.first { $0.name == column }?.value
    }

    /// The row's identity: its table and key values.
    public var id: ID {
        ID(table: table, key: key.map { self[$0] ?? .null })
    }

    /// Sets a column's value (appending the column when the row does not have it).
    public mutating func set(_ column: String, to value: Value) {
        if let index = columns.firstIndex(where: { $0.name == column }) {
            columns[index].value = value
        } else {
            columns.append((column, value))
        }
    }

    public static func == (lhs: ProjectionRow, rhs: ProjectionRow) -> Bool {
        lhs.table == rhs.table && lhs.key == rhs.key && lhs.onConflict == rhs.onConflict
            && lhs.columns.elementsEqual(rhs.columns) { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(table)
        hasher.combine(key)
        for column in columns {
            hasher.combine(column.name)
            hasher.combine(column.value)
        }
    }
}
