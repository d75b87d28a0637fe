import GRDB

/// One consistent view of the journal, for several reads in one trip to a reader connection.
///
/// Every read of ``EventJournal`` (``EventJournal/events(after:filter:limit:)``, ``EventJournal/stream(_:)``, …)
/// is one hop to a reader connection and one read transaction. A caller that reads many streams — a replay of a
/// user's runs, an export, a check across runs — takes one snapshot instead: the reads see the same committed
/// events (WAL: a snapshot never blocks the writer nor is blocked by it), and cost only SQLite and the rows.
/// Use it inside ``EventJournal/reading(_:)`` only; it does not outlive the closure.
public struct JournalSnapshot {
    /// The reader connection, for SQL of your own in the same snapshot.
    public let database: Database

    init(database: Database) {
        self.database = database
    }

    /// The last sequence number (0 for an empty journal).
    public func headSeq() throws -> Int64 {
        try Int64.fetchOne(database, sql: "SELECT MAX(seq) FROM events") ?? 0
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

    /// Calls `body` with each event after `seq` that passes `filter`, in order, without holding them all.
    public func forEachEvent(
        after seq: Int64 = 0, filter: EventFilter = .all, limit: Int? = nil, _ body: (RecordedEvent) throws -> Void
    ) throws {
        let (condition, argument) = filter.sqlCondition
        let statement = try database.cachedStatement(
            sql: "SELECT \(RecordedEvent.selection) FROM events WHERE seq > ? AND \(condition) ORDER BY seq LIMIT ?")
        var arguments: [any DatabaseValueConvertible] = [seq]
        if let argument { arguments.append(argument) }
        arguments.append(limit ?? -1)
        try statement.setArguments(StatementArguments(arguments))
        try RecordedEvent.forEach(in: statement, body)
    }
}
