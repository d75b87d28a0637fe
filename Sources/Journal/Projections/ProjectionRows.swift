/// The rows a fold reads and writes: loaded by the storage backend before the fold, written by it after.
///
/// Inside one transaction it holds every row loaded or written so far, so that the events of a batch see each
/// other's writes without reading the database again. A fold reads a row with ``row(_:)`` (only rows its
/// projection declared in ``JournalProjection/rowsRead(by:)``, or wrote), and changes rows with ``write(_:)`` (the
/// whole row, an upsert) or ``update(_:set:)`` (some columns of a row that exists).
public struct ProjectionRows: Sendable {
    /// A change the backend writes.
    package enum Change: Sendable {
        /// Write the whole row (insert, or update every column when its key exists — as its policy says).
        case write(ProjectionRow)
        /// Set these columns of the existing row with this key.
        case update(ProjectionRow.ID, key: [String], columns: [ProjectionRow.Column])
    }

    /// Rows known in this transaction: loaded (nil: no such row) or written.
    private var known: [ProjectionRow.ID: ProjectionRow?] = [:]
    /// The changes not yet written, in the order they were made (one per row).
    private var pending: [ProjectionRow.ID: Change] = [:]
    private var order: [ProjectionRow.ID] = []
    /// While a mark is set: what each change replaced, to undo them (``rollBackToMark()``).
    private var undo: [(id: ProjectionRow.ID, known: ProjectionRow??, pending: Change?)]?
    private var orderCountAtMark = 0

    /// An empty working set.
    package init() {}

    /// The row with this id, or nil when there is none.
    /// - Throws: ``ProjectionError`` when the row was neither declared by the projection nor written in this
    ///   transaction: the backend did not load it, so its absence would be a guess.
    public func row(_ id: ProjectionRow.ID) throws -> ProjectionRow? {
        guard let row = known[id] else {
            throw ProjectionError(message: "\(id) was read but not declared in rowsRead(by:)")
        }
        return row
    }

    /// Writes a whole row: inserted, or (``ProjectionRow/ConflictPolicy/update``) replacing the row with its key.
    public mutating func write(_ row: ProjectionRow) {
        let id = row.id
        remember(id)
        known[id] = row
        record(id, .write(row))
    }

    /// Sets some columns of the row with this id; does nothing when there is no such row.
    /// - Throws: ``ProjectionError`` when the row is not known in this transaction (see ``row(_:)``).
    public mutating func update(_ id: ProjectionRow.ID, set columns: [ProjectionRow.Column]) throws {
        guard var row = try self.row(id) else { return }
        for column in columns { row.set(column.name, to: column.value) }
        remember(id)
        known[id] = row
        switch pending[id] {
        case .write:
            pending[id] = .write(row)
        case .update(_, let key, let earlier):
            var merged = earlier
            for column in columns {
                if let index = merged.firstIndex(where: { $0.name == column.name }) {
                    merged[index].value = column.value
                } else {
                    merged.append(column)
                }
            }
            pending[id] = .update(id, key: key, columns: merged)
        case nil:
            record(id, .update(id, key: row.key, columns: columns))
        }
    }

    // MARK: - For backends

    /// Whether the backend has loaded (or the fold has written) this row.
    package func isKnown(_ id: ProjectionRow.ID) -> Bool {
        known[id] != nil
    }

    /// Records what the backend read: the row with this id, or nil when there is none.
    package mutating func load(_ id: ProjectionRow.ID, _ row: ProjectionRow?) {
        remember(id)
        known[id] = .some(row)
    }

    /// Starts recording changes so that they can be undone: a fold that fails leaves no trace. Changes taken
    /// (``takeChanges()``) since the mark are not given back by a rollback: the backend undoes what it wrote.
    package mutating func mark() {
        undo = []
        orderCountAtMark = order.count
    }

    /// Undoes every change since ``mark()`` and ends the mark.
    package mutating func rollBackToMark() {
        guard let entries = undo else { return }
        undo = nil
        for entry in entries.reversed() {
            if let row = entry.known { known[entry.id] = row } else { known[entry.id] = nil }
            if let change = entry.pending { pending[entry.id] = change } else { pending[entry.id] = nil }
        }
        if order.count > orderCountAtMark { order.removeLast(order.count - orderCountAtMark) }
    }

    /// Keeps the changes since ``mark()`` and ends the mark.
    package mutating func releaseMark() {
        undo = nil
    }

    /// The changes made since the last call, in order; they are then no longer pending.
    package mutating func takeChanges() -> [Change] {
        defer {
            pending.removeAll(keepingCapacity: true)
            order.removeAll(keepingCapacity: true)
        }
        return order.compactMap { pending[$0] }
    }

    /// Every row known, loaded or written (nil values: rows that do not exist).
    package var rows: [ProjectionRow.ID: ProjectionRow?] { known }

    private mutating func remember(_ id: ProjectionRow.ID) {
        guard undo != nil else { return }
        undo?.append((id, known[id], pending[id]))
    }

    private mutating func record(_ id: ProjectionRow.ID, _ change: Change) {
        if pending.updateValue(change, forKey: id) == nil { order.append(id) }
    }
}

/// A fold that broke the contract of ``ProjectionRows`` (it read a row it did not declare).
public struct ProjectionError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String

    public var description: String { message }
}
