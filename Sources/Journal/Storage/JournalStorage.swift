/// The seam between the journal and the database it is stored in: SQLite (``SQLiteStorage``, the default) or
/// PostgreSQL (the `JournalPostgres` module).
///
/// Everything above it — ``EventJournal``, projections, subscriptions, verify — is the same on every backend and
/// speaks only in events, rows and filters. A backend owns its SQL (with its schema files under `schema/`) and
/// keeps the journal's guarantees by construction: it assigns `seq`, stream versions and the hash chain inside the
/// transaction that commits them, under the database's write lock (SQLite's `BEGIN IMMEDIATE`, PostgreSQL's lock on
/// the head row), so that an event becomes visible only in order.
package protocol JournalStorage: Sendable {
    /// What the backend is, for messages and reports.
    var description: String { get }

    /// Writes one batch of requests in one transaction, each request atomically: a request that fails (a version
    /// conflict, a bad payload, a fold that throws) writes nothing and fails alone.
    ///
    /// `placed(index, result)` is called, before the commit, for each append whose events hold their place in the
    /// transaction (``StorageRequest/answersWhenPlaced``).
    /// - Returns: Each request's outcome, in order, once the transaction has committed.
    /// - Throws: The failure of the transaction as a whole: nothing of the batch is committed.
    func commit(
        _ batch: [StorageRequest], recordedAt: String, placed: @Sendable (Int, AppendResult) -> Void
    ) async throws -> [StorageOutcome]

    /// Runs `body` on one consistent snapshot of the committed log.
    func read<T: Sendable>(_ body: @escaping @Sendable (any StorageSnapshot) throws -> T) async throws -> T

    /// The events after `seq` that pass `filter`, in order, at most `limit` of them: one read, the journal's most
    /// frequent (subscriptions' pages, streams).
    func events(after seq: Int64, filter: EventFilter, limit: Int?) async throws -> [RecordedEvent]

    /// The rows one query answers.
    func rows(_ query: RowQuery) async throws -> [ProjectionRow]

    /// The last sequence number (0 for an empty journal).
    func headSeq() async throws -> Int64

    /// In one write transaction: empties the projections' tables and folds the whole log into them again.
    func rebuild(_ projections: [any JournalProjection]) async throws

    /// In one write transaction: folds the events after the projection's checkpoint and moves the checkpoint.
    /// - Returns: The sequence number the projection has folded up to.
    func catchUp(_ projection: any JournalProjection) async throws -> Int64

    /// The database engine's own check of its files or tables: one message per problem (empty: sound).
    func engineCheck() async throws -> [String]

    /// The name of the engine check in `verify`'s report (`sqlite`), nil when the backend has none.
    var engineCheckName: String? { get }

    /// Whether other processes append to the same log. A shared backend feeds every committed event — this
    /// process's and the others' — to subscriptions itself, in `seq` order (``startFeed(publish:)``); the writer
    /// only tells it what it committed (``didCommit(through:)``). A backend that is not shared leaves both alone
    /// and the writer publishes its commits.
    var isShared: Bool { get }

    /// Starts feeding committed events to `publish`, in `seq` order, from the head at the time it starts.
    func startFeed(publish: @escaping @Sendable ([RecordedEvent]) -> Void)

    /// This process committed events up to `seq`.
    func didCommit(through seq: Int64)

    /// Checks that a write would go through now (the health probe): SQLite allocates pages in a transaction it
    /// rolls back; PostgreSQL checks the server takes writes.
    /// - Throws: `JournalError` naming why it would fail (`busy`, `diskFull`, `readOnly`, `ioError`, …).
    func probeWrite() async throws

    /// Runs one SQL statement of the caller's own, in this backend's dialect with `?` placeholders for
    /// `arguments`, on a reader (`write: false`) or the writer's side of the database, and answers its rows as
    /// plain values: what tests and assertions read the tables with on either backend.
    func rows(sql: String, arguments: [ProjectionRow.Value], write: Bool) async throws -> [[ProjectionRow.Value]]

    /// Stops accepting work and releases the database.
    func close() throws
}

extension JournalStorage {
    /// In a snapshot of its own.
    package func events(after seq: Int64, filter: EventFilter, limit: Int?) async throws -> [RecordedEvent] {
        try await read { snapshot in
            var events: [RecordedEvent] = []
            try snapshot.forEachEvent(after: seq, filter: filter, limit: limit) { events.append($0) }
            return events
        }
    }

    /// In a snapshot of its own.
    package func headSeq() async throws -> Int64 {
        try await read { snapshot in try snapshot.headSeq() }
    }

    /// In a snapshot of its own.
    package func rows(_ query: RowQuery) async throws -> [ProjectionRow] {
        try await read { snapshot in try snapshot.rows(query) }
    }

    /// No: one process owns the log.
    package var isShared: Bool { false }
    /// Nothing to start: the writer publishes.
    package func startFeed(publish: @escaping @Sendable ([RecordedEvent]) -> Void) {}
    /// Nothing to do: the writer publishes.
    package func didCommit(through seq: Int64) {}
}

/// Reads on one consistent view of the log, synchronous inside ``JournalStorage/read(_:)``.
package protocol StorageSnapshot {
    /// The last sequence number (0 for an empty journal).
    func headSeq() throws -> Int64

    /// Calls `body` with each event after `seq` that passes `filter`, in `seq` order, at most `limit` of them.
    func forEachEvent(
        after seq: Int64, filter: EventFilter, limit: Int?, _ body: (RecordedEvent) throws -> Void
    ) throws

    /// Every row of a projection table, in no particular order.
    func rows(of table: ProjectionTable) throws -> [ProjectionRow]

    /// The rows a query answers, each with the query's columns (its `table` the query's `from`).
    func rows(_ query: RowQuery) throws -> [ProjectionRow]
}

/// One request of a write batch.
package enum StorageRequest: Sendable {
    /// Append events to a stream (with rows written beside them).
    case append(StorageAppend)
    /// Record frames written to connections.
    case deliveries([Delivery])

    /// Whether the request is answered as soon as its events hold their place, before the commit.
    package var answersWhenPlaced: Bool {
        if case .append(let append) = self { return append.completion == .ordered }
        return false
    }
}

/// An append request as a backend sees it.
package struct StorageAppend: Sendable {
    package var stream: String
    package var events: [NewEvent]
    package var expected: ExpectedVersion
    package var rows: [ProjectionRow]
    package var completion: AppendCompletion

    package init(
        stream: String, events: [NewEvent], expected: ExpectedVersion, rows: [ProjectionRow],
        completion: AppendCompletion
    ) {
        self.stream = stream
        self.events = events
        self.expected = expected
        self.rows = rows
        self.completion = completion
    }
}

/// What became of one request of a committed batch.
package enum StorageOutcome: Sendable {
    /// Appended (or found already recorded: ``AppendResult/wasAlreadyRecorded``).
    case appended(AppendResult)
    /// Deliveries recorded.
    case delivered
    /// Failed alone; nothing of it was written.
    case failed(JournalError)
}
