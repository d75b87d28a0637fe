/// Folds events into tables that are derived from the log and can be rebuilt from it at any time.
///
/// A projection is a pure fold: given an event and the rows it reads, it writes rows into a
/// ``ProjectionRows`` working set, and the storage backend (SQLite or PostgreSQL) turns those rows into its own SQL
/// inside the transaction. It declares the rows it reads (``rowsRead(by:)``) so that a backend can load them before
/// the fold — one query for a whole batch on a database across the network.
///
/// A projection registered in ``JournalConfiguration/inlineProjections`` is applied inside every append
/// transaction, so its tables are never behind the log. The same projection can instead be run checkpointed
/// with ``EventJournal/catchUp(_:)``. Either way ``EventJournal/rebuildProjections()`` empties its tables and
/// folds the whole log again, and `verify` checks that the live tables equal such a rebuild.
public protocol JournalProjection: Sendable {
    /// A stable name, used for checkpoints and in reports.
    var name: String { get }
    /// The tables the projection owns: emptied before a rebuild and compared by `verify`.
    var tables: [ProjectionTable] { get }
    /// The rows that ``apply(_:to:)`` reads for this event (default: none). Reading a row it did not name is an
    /// error (``ProjectionRows/row(_:)``), on every backend alike.
    func rowsRead(by event: RecordedEvent) -> [ProjectionRow.ID]
    /// Folds one event into `rows`. Called in `seq` order, inside a write transaction.
    /// - Throws: Any error aborts the transaction that applied it (or, in `verify`, is reported for this event).
    func apply(_ event: RecordedEvent, to rows: inout ProjectionRows) throws
}

extension JournalProjection {
    /// None.
    public func rowsRead(by event: RecordedEvent) -> [ProjectionRow.ID] { [] }
}

/// A table a projection owns: its name, key and columns, so that a backend can read its rows back and compare them.
public struct ProjectionTable: Sendable, Hashable {
    /// How a column's values are stored.
    public enum ColumnType: Sendable, Hashable {
        /// `INTEGER` (SQLite) / `BIGINT` (PostgreSQL).
        case integer
        /// `REAL` / `DOUBLE PRECISION`.
        case real
        /// `TEXT`.
        case text
    }

    /// A column and its type.
    public struct Column: Sendable, Hashable {
        /// The column's name.
        public var name: String
        /// The column's type.
        public var type: ColumnType

        /// A column.
        public init(_ name: String, _ type: ColumnType) {
            self.name = name
            self.type = type
        }
    }

    /// The table's name.
    public var name: String
    /// The key's columns.
    public var key: [String]
    /// Every column, in the order the rows are written.
    public var columns: [Column]

    /// Declares a table.
    public init(name: String, key: [String], columns: [Column]) {
        self.name = name
        self.key = key
        self.columns = columns
    }
}
