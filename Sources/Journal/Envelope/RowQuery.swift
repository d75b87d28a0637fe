/// A read of a table or a view beside the log — a projection's rows, an account, an inspection view — in terms
/// every storage backend runs in its own SQL, so that the layers above the journal hold no SQL of their own.
///
/// What needs more than a filter and an order (joins, JSON fields, windows) is a view in the layer's schema files,
/// written once per backend (`schema/` and `schema/postgres/`), and read with a query like any table.
///
/// ```swift
/// let open = try await journal.rows(
///     RowQuery(from: "runs", columns: ["run_id", "status"], where: [.isNull("ended_at")], orderBy: ["first_seq"]))
/// ```
public struct RowQuery: Sendable, Hashable {
    /// A condition on one column.
    public enum Condition: Sendable, Hashable {
        /// `column = value`.
        case equals(String, ProjectionRow.Value)
        /// `column IS NULL`.
        case isNull(String)
        /// `column IS NOT NULL`.
        case isNotNull(String)
        /// `column IN (values…)` (false for no values).
        case isIn(String, [ProjectionRow.Value])
    }

    /// An ordering term.
    public struct Order: Sendable, Hashable, ExpressibleByStringLiteral {
        /// The column.
        public var column: String
        /// Largest first.
        public var descending: Bool

        /// Orders by `column`, smallest first unless `descending`.
        public init(_ column: String, descending: Bool = false) {
            self.column = column
            self.descending = descending
        }

        public init(stringLiteral column: String) {
            self.init(column)
        }
    }

    /// The table or view.
    public var from: String
    /// The columns to read, in order (the answer's rows have exactly these).
    public var columns: [String]
    /// Conditions that every row answered meets.
    public var conditions: [Condition]
    /// The order of the rows (unspecified without one).
    public var orderBy: [Order]
    /// At most this many rows.
    public var limit: Int?

    /// A query of `from`.
    public init(
        from: String, columns: [String], where conditions: [Condition] = [], orderBy: [Order] = [], limit: Int? = nil
    ) {
        self.from = from
        self.columns = columns
        self.conditions = conditions
        self.orderBy = orderBy
        self.limit = limit
    }

    /// The query as SQL with numbered placeholders (`?1`… for SQLite, `$1`… for PostgreSQL) and their values.
    package func sql(placeholder: (Int) -> String) -> (sql: String, arguments: [ProjectionRow.Value]) {
        var arguments: [ProjectionRow.Value] = []
        var sql = "SELECT \(columns.joined(separator: ", ")) FROM \(from)"
        let terms = conditions.map { condition -> String in
            switch condition {
            case .equals(let column, let value):
                arguments.append(value)
                return "\(column) = \(placeholder(arguments.count))"
            case .isIn(let column, let values):
                guard !values.isEmpty else { return "1 = 0" }
                let placeholders = values.map { value -> String in
                    arguments.append(value)
                    return placeholder(arguments.count)
                }
                return "\(column) IN (\(placeholders.joined(separator: ", ")))"
            case .isNull(let column): return "\(column) IS NULL"
            case .isNotNull(let column): return "\(column) IS NOT NULL"
            }
        }
        if !terms.isEmpty { sql += " WHERE " + terms.joined(separator: " AND ") }
        if !orderBy.isEmpty {
            sql += " ORDER BY " + orderBy.map { $0.column + ($0.descending ? " DESC" : "") }.joined(separator: ", ")
        }
        if let limit { sql += " LIMIT \(max(0, limit))" }
        return (sql, arguments)
    }
}
