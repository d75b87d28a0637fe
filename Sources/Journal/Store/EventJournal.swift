import Foundation
package import GRDB
import Logging

/// An append-only event log — in one SQLite file (WAL) by default, or in a PostgreSQL database several gateways
/// share — the source of truth of everything above it.
///
/// One writer with group commit appends; separate reader connections read and feed subscriptions. The journal
/// knows owners, streams, ids and JSON payloads — nothing about agents or sockets. Where the events are stored is
/// the storage backend's business (``JournalStorage``): everything here is the same on each. See docs/JOURNAL.md.
public final class EventJournal: Sendable {
    /// The database file (SQLite), or where the database is, without credentials (PostgreSQL).
    public let path: String
    /// The configuration the journal was opened with.
    public let configuration: JournalConfiguration
    let storage: any JournalStorage
    let hub = SubscriptionHub()
    private let writer: GroupCommitWriter

    /// Opens (creating if needed) the SQLite journal at `path` and applies the schema files not applied yet.
    /// - Throws: `JournalError` (`notADatabase`, `readOnly`, `cannotOpen`, …) when the file cannot serve as a journal.
    public convenience init(path: String, configuration: JournalConfiguration = JournalConfiguration()) throws {
        try self.init(storage: SQLiteStorage(path: path, configuration: configuration), configuration: configuration)
    }

    /// Opens a journal on a storage backend that is open already.
    package init(storage: any JournalStorage, configuration: JournalConfiguration) {
        self.path = storage.description
        self.configuration = configuration
        self.storage = storage
        writer = GroupCommitWriter(storage: storage, configuration: configuration, hub: hub)
        if storage.isShared {
            storage.startFeed { [hub] events in hub.publish(events) }
        }
    }

    // MARK: - Append

    /// Appends a batch of events to a stream, atomically, after checking the stream's version.
    ///
    /// Returns after the transaction that holds the events has committed — or, with `completion` ``AppendCompletion/ordered``,
    /// once the events hold their place in that transaction (see ``AppendCompletion``). Appending events whose ids
    /// are already recorded (a retry) writes nothing and returns the events as first recorded.
    ///
    /// After an ordered append of a stream was lost (its transaction failed after it returned), every later append
    /// to the stream fails with that failure, unless `acknowledgingLoss` is set: the appender knows that events it
    /// was told about may be missing, and the append clears the loss.
    /// - Throws: `JournalError` — `streamVersionConflict` (nothing written), `invalidPayload`, `duplicateEventID`,
    ///   `diskFull`, `readOnly`, `busy`, `ioError` (also for the loss of an earlier ordered append).
    @discardableResult
    public func append(
        _ events: [NewEvent], to stream: String, expectedVersion: ExpectedVersion = .any,
        completion: AppendCompletion = .committed, acknowledgingLoss: Bool = false
    ) async throws -> AppendResult {
        try await writer.append(
            events, to: stream, expected: expectedVersion, completion: completion,
            acknowledgingLoss: acknowledgingLoss)
    }

    /// Appends a batch of events and writes `rows` in the same transaction: both commit, or neither (a row that
    /// conflicts with ``ProjectionRow/ConflictPolicy/fail`` fails the append with the database's constraint error
    /// as its cause). For state kept beside the log that must never disagree with it — an account row and its
    /// `user_signed_up`. A retry whose events are already recorded writes no rows.
    /// - Throws: As ``append(_:to:expectedVersion:completion:acknowledgingLoss:)``; `JournalError` (`storage`) with the
    ///   constraint as cause.
    @discardableResult
    public func append(
        _ events: [NewEvent], to stream: String, expectedVersion: ExpectedVersion = .any,
        alongside rows: [ProjectionRow]
    ) async throws -> AppendResult {
        try await writer.append(events, to: stream, expected: expectedVersion, rows: rows)
    }

    /// Appends one event to a stream. See ``append(_:to:expectedVersion:completion:acknowledgingLoss:)``.
    @discardableResult
    public func append(
        _ event: NewEvent, to stream: String, expectedVersion: ExpectedVersion = .any,
        completion: AppendCompletion = .committed, acknowledgingLoss: Bool = false
    ) async throws -> RecordedEvent {
        let result = try await writer.append(
            [event], to: stream, expected: expectedVersion, completion: completion,
            acknowledgingLoss: acknowledgingLoss)
        guard let recorded = result.events.first else {
            throw JournalError(code: .storage, message: "the append of \(event.eventID) returned no event")
        }
        return recorded
    }

    /// Records that frames were written to connections, committed (with group commit) before this returns.
    /// - Throws: `JournalError` when the journal is not writable.
    public func recordDeliveries(_ deliveries: [Delivery]) async throws {
        guard !deliveries.isEmpty else { return }
        try await writer.record(deliveries)
    }

    // MARK: - Read
    //
    // Each backend answers its reads' failures as `JournalError` (SQLite: `JournalError.wrap`; PostgreSQL: its own
    // mapping of SQLSTATEs and lost connections), so these only forward.

    /// The last sequence number (0 for an empty journal).
    public func headSeq() async throws -> Int64 {
        try await storage.headSeq()
    }

    /// The events after `seq` that pass `filter`, in order, at most `limit` of them.
    public func events(after seq: Int64 = 0, filter: EventFilter = .all, limit: Int? = nil) async throws
        -> [RecordedEvent]
    {
        try await storage.events(after: seq, filter: filter, limit: limit)
    }

    /// Every event of one stream, in stream order.
    public func stream(_ name: String) async throws -> [RecordedEvent] {
        try await events(filter: .stream(name))
    }

    /// Folds the events after `seq` that pass `filter` without holding them all in memory.
    public func forEachEvent(
        after seq: Int64 = 0, filter: EventFilter = .all, _ body: @escaping @Sendable (RecordedEvent) throws -> Void
    ) async throws {
        try await reading { try $0.forEachEvent(after: seq, filter: filter, body) }
    }

    /// Runs several reads on one consistent snapshot, in one trip to the database (``JournalSnapshot``).
    /// - Throws: `JournalError` wrapping the storage error, or the closure's error.
    public func reading<T: Sendable>(_ body: @escaping @Sendable (JournalSnapshot) throws -> T) async throws -> T {
        try await storage.read { snapshot in try body(JournalSnapshot(snapshot)) }
    }

    /// The rows a query of a table or view beside the log answers (``RowQuery``), on one snapshot.
    /// - Throws: `JournalError` wrapping the storage error (an unknown table or column among them).
    public func rows(_ query: RowQuery) async throws -> [ProjectionRow] {
        try await storage.rows(query)
    }

    /// Checks that an append would be written now, without writing anything (what `/healthz` asks): the
    /// configured fault injector is consulted as a commit would.
    /// - Throws: `JournalError` naming why an append would fail.
    public func checkWritable() async throws {
        try configuration.faultInjector?.beforeCommit(batchSize: 0)
        try await storage.probeWrite()
    }

    /// Runs read-only SQL on a reader connection (WAL: never blocks or is blocked by the writer). SQLite only: for
    /// the package's own SQLite tools (the load benchmark's file sizes, tests of SQLite itself); everything else
    /// reads through ``rows(_:)`` and the snapshot's reads, on every backend.
    /// - Throws: `JournalError` wrapping the storage error, or the closure's error; `storage` on another backend.
    package func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        try await sqlite().readDatabase(body)
    }

    /// Runs SQL in a write transaction on the writer. SQLite only, for the package's tests of SQLite itself (a
    /// full disk, tampering); events are appended only with ``append(_:to:expectedVersion:completion:acknowledgingLoss:)``
    /// and rows beside them with ``append(_:to:expectedVersion:alongside:)``.
    package func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        try await sqlite().writeDatabase(body)
    }

    /// Runs one SQL statement in the backend's dialect and answers its rows (``JournalStorage/rows(sql:write:)``):
    /// for tests and assertions that read the tables on either backend.
    package func rows(
        sql: String, arguments: [ProjectionRow.Value] = [], write: Bool = false
    ) async throws -> [[ProjectionRow.Value]] {
        try await storage.rows(sql: sql, arguments: arguments, write: write)
    }

    /// The SQLite backend, for what only it can do.
    func sqlite() throws -> SQLiteStorage {
        guard let sqlite = storage as? SQLiteStorage else {
            throw JournalError(code: .storage, message: "\(storage.description) is not an SQLite journal")
        }
        return sqlite
    }

    // MARK: - Subscribe

    /// The events after `seq` that pass `filter`: those on disk first, then live ones as they commit.
    public func subscribe(
        after seq: Int64 = 0, filter: EventFilter = .all, options: SubscriptionOptions = SubscriptionOptions()
    ) -> EventSubscription {
        EventSubscription(journal: self, after: seq, filter: filter, options: options)
    }

    /// What the writer has committed since the journal was opened (for metrics and tests).
    public var writerStatistics: WriterStatistics { writer.statistics }

    /// The number of live subscribers (for metrics and tests).
    public var subscriberCount: Int { hub.count }

    // MARK: - Lifecycle

    /// Copies the journal to `destination` consistently while appends continue (SQLite's online backup).
    /// - Throws: `JournalError` when the destination cannot be written, or the journal is not SQLite.
    public func backup(to destination: String) async throws {
        try sqlite().backup(to: destination)
    }

    /// Ends every subscription, fails queued appends, and closes the database.
    public func close() throws {
        writer.close()
        hub.finishAll()
        try storage.close()
    }
}
