/// One consistent view of the journal, for several reads in one trip to the database.
///
/// Every read of ``EventJournal`` (``EventJournal/events(after:filter:limit:)``, ``EventJournal/stream(_:)``, …)
/// is one hop to a reader and one read transaction. A caller that reads many streams — a replay of a user's runs,
/// an export, a check across runs — takes one snapshot instead: the reads see the same committed events (SQLite's
/// WAL, PostgreSQL's `REPEATABLE READ`: a snapshot never blocks the writer), and cost only the rows.
/// Use it inside ``EventJournal/reading(_:)`` only; it does not outlive the closure.
public struct JournalSnapshot {
    let storage: any StorageSnapshot

    init(_ storage: any StorageSnapshot) {
        self.storage = storage
    }

    /// The last sequence number (0 for an empty journal).
    public func headSeq() throws -> Int64 {
        try storage.headSeq()
    }

    /// The events after `seq` that pass `filter`, in order, at most `limit` of them.
    public func events(after seq: Int64 = 0, filter: EventFilter = .all, limit: Int? = nil) throws -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        try forEachEvent(after: seq, filter: filter, limit: limit) { events.append($0) }
        return events
    }

    /// Every event of one stream, in stream order.
    public func stream(_ name: String) throws -> [RecordedEvent] {
        try events(filter: .stream(name))
    }

    /// The rows a query of a table or view beside the log answers (``RowQuery``).
    public func rows(_ query: RowQuery) throws -> [ProjectionRow] {
        try storage.rows(query)
    }

    /// Calls `body` with each event after `seq` that passes `filter`, in order, without holding them all.
    public func forEachEvent(
        after seq: Int64 = 0, filter: EventFilter = .all, limit: Int? = nil, _ body: (RecordedEvent) throws -> Void
    ) throws {
        try storage.forEachEvent(after: seq, filter: filter, limit: limit, body)
    }
}
