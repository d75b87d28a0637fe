import Foundation
import Journal
import Logging
import PostgresNIO
import Synchronization

/// The journal in a PostgreSQL database that several processes share (SPEC section 7), on postgres-nio.
///
/// Each process keeps its single writer with group commit; each batch is one transaction that locks the one-row
/// `journal_head` (`SELECT … FOR UPDATE`), so batches of every process are ordered by that lock, and `seq`, stream
/// versions and the hash chain are assigned under it and committed before the next batch can read the head: a
/// reader of `seq > cursor` never skips a late commit. The batch notifies `goldenpath_events` once; each process
/// has one listening connection and one tailer that feeds its subscriptions (``PostgresFeed``).
final class PostgresStorage: JournalStorage {
    let url: PostgresURL
    let client: PostgresClient
    let logger: Logger
    let projections: [any JournalProjection]
    let tables: [String: ProjectionTable]
    let faultInjector: (any StorageFaultInjector)?
    let durability: JournalConfiguration.Durability
    private let runner: Task<Void, Never>
    private let feed = Mutex<PostgresFeed?>(nil)

    /// The channel each batch notifies with its last `seq`.
    static let channel = "goldenpath_events"

    /// Connects, and applies the schema files (`postgresSQL`) not applied yet.
    /// - Throws: `JournalError` (`cannotOpen`) when the URL is wrong, the server unreachable or a migration has no
    ///   PostgreSQL SQL.
    init(url text: String, configuration: JournalConfiguration) async throws {
        url = try PostgresURL(text)
        logger = configuration.logger
        projections = configuration.inlineProjections
        tables = Dictionary(
            configuration.inlineProjections.flatMap(\.tables).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        faultInjector = configuration.faultInjector
        durability = configuration.durability
        let client = PostgresClient(
            configuration: url.clientConfiguration(durability: configuration.durability),
            backgroundLogger: configuration.logger)
        self.client = client
        // Queries wait until the client runs: postgres-nio warns of a lease taken before `run()` has begun. The
        // task goes straight from the signal into `run()`, which marks itself running before it first suspends.
        let (started, signal) = AsyncStream<Void>.makeStream()
        runner = Task {
            signal.finish()
            await client.run()
        }
        for await _ in started {}
        do {
            try await PostgresMigrator.migrate(
                SchemaMigration.journalLayer + configuration.migrations, readOnly: configuration.readOnly,
                schema: url.searchPath, client: client, logger: logger)
        } catch {
            runner.cancel()
            throw Self.wrap(error, "cannot open \(url) as a journal", code: .cannotOpen)
        }
    }

    var description: String { url.description }

    var engineCheckName: String? { nil }

    func engineCheck() async throws -> [String] { [] }

    var isShared: Bool { true }

    func startFeed(publish: @escaping @Sendable ([RecordedEvent]) -> Void) {
        let started = PostgresFeed(storage: self, publish: publish)
        feed.withLock { $0 = started }
        started.start()
    }

    func didCommit(through seq: Int64) {
        feed.withLock { $0 }?.wake()
    }

    func close() throws {
        feed.withLock { feed in
            feed?.stop()
            feed = nil
        }
        runner.cancel()
    }

    // MARK: - Reads

    func events(after seq: Int64, filter: EventFilter, limit: Int?) async throws -> [RecordedEvent] {
        try await connection("cannot read the journal") { connection in
            try await PostgresRows.events(
                after: seq, filter: filter, limit: limit ?? Int(Int32.max), on: connection, logger: self.logger)
        }
    }

    func rows(_ query: RowQuery) async throws -> [ProjectionRow] {
        try await connection("cannot read the journal") { connection in
            try await PostgresRows.rows(query, on: connection, logger: self.logger)
        }
    }

    func headSeq() async throws -> Int64 {
        try await connection("cannot read the journal") { connection in
            var head: Int64 = 0
            let rows = try await connection.query("SELECT COALESCE(MAX(seq), 0) FROM events", logger: self.logger)
            for try await seq in rows.decode(Int64.self) { head = seq }
            return head
        }
    }

    /// Runs `body` on a connection of the pool, outside any transaction.
    func connection<T: Sendable>(_ context: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch let cancellation as CancellationError {
            throw cancellation
        } catch {
            throw Self.wrap(error, context)
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any StorageSnapshot) throws -> T) async throws -> T {
        try await transaction("cannot read the journal", begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
            connection in
            let snapshot = PostgresSnapshot(connection: connection, logger: self.logger)
            return try await PostgresSnapshot.run { try body(snapshot) }
        }
    }

    func probeWrite() async throws {
        let rows = try await self.rows(sql: "SELECT pg_is_in_recovery()", arguments: [], write: true)
        guard rows.first?.first != .integer(1) else {
            throw JournalError(code: .readOnly, message: "\(url) is a standby: it takes no writes")
        }
    }

    func rows(
        sql: String, arguments: [ProjectionRow.Value], write: Bool
    ) async throws -> [[ProjectionRow.Value]] {
        do {
            var binds = PostgresBindings()
            for argument in arguments { PostgresRows.append(argument, to: &binds) }
            let query = PostgresQuery(unsafeSQL: Self.numberingPlaceholders(sql), binds: binds)
            var rows: [[ProjectionRow.Value]] = []
            for try await row in try await client.query(query, logger: logger) {
                rows.append(try row.map(Self.value(of:)))
            }
            return rows
        } catch {
            throw Self.wrap(error, "the query failed")
        }
    }

    /// `?` placeholders (outside quoted text) as PostgreSQL's `$1`, `$2`, …
    static func numberingPlaceholders(_ sql: String) -> String {
        var result = ""
        var number = 0
        var quote: Character?
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
                result.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                result.append(character)
            } else if character == "?" {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// A cell as a plain value, by its type: integers, reals, and everything else as text.
    static func value(of cell: PostgresCell) throws -> ProjectionRow.Value {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .float4, .float8: return .real(try cell.decode(Double.self))
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        default: return .text(try cell.decode(String.self))
        }
    }

    // MARK: - Projections

    func rebuild(_ projections: [any JournalProjection]) async throws {
        try await writeTransaction("cannot rebuild the projections") { connection in
            _ = try await Self.lockHead(on: connection, logger: self.logger)
            for table in projections.flatMap(\.tables) {
                try await connection.query(PostgresQuery(unsafeSQL: "DELETE FROM \(table.name)"), logger: self.logger)
            }
            var rows = ProjectionRows()
            try await self.forEachPage(after: 0, on: connection) { events in
                for event in events { try ProjectionFold.applyFromEmpty(event, to: projections, rows: &rows) }
                try await self.write(rows.takeChanges(), from: rows, on: connection)
            }
        }
    }

    func catchUp(_ projection: any JournalProjection) async throws -> Int64 {
        let tables = Dictionary(projection.tables.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        return try await writeTransaction("cannot catch up \(projection.name)") { connection in
            _ = try await Self.lockHead(on: connection, logger: self.logger)
            var checkpoint: Int64 = 0
            let query: PostgresQuery = "SELECT seq FROM projection_checkpoints WHERE name = \(projection.name)"
            for try await seq in try await connection.query(query, logger: self.logger).decode(Int64.self) {
                checkpoint = seq
            }
            var last = checkpoint
            var rows = ProjectionRows()
            try await self.forEachPage(after: checkpoint, on: connection) { events in
                var wanted: [ProjectionRow.ID] = []
                for event in events {
                    for id in ProjectionFold.missingRows(for: event, in: [projection], rows: rows)
                    where !wanted.contains(id) {
                        wanted.append(id)
                    }
                }
                for (id, row) in try await PostgresRows.load(wanted, tables: tables, on: connection, logger: self.logger)
                {
                    rows.load(id, row)
                }
                for event in events {
                    try ProjectionFold.apply(event, to: [projection], rows: &rows) { ids in
                        throw JournalError(code: .storage, message: "rows \(ids) were not loaded")
                    }
                    last = event.seq
                }
                try await self.write(rows.takeChanges(), from: rows, on: connection)
            }
            try await connection.query(
                """
                INSERT INTO projection_checkpoints (name, seq) VALUES (\(projection.name), \(last))
                ON CONFLICT (name) DO UPDATE SET seq = excluded.seq
                """, logger: self.logger)
            return last
        }
    }

    // MARK: - Shared helpers

    /// Runs `body` in a read-write transaction on one connection; rolls back when it throws.
    func writeTransaction<T: Sendable>(
        _ context: String, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await transaction(context, begin: "BEGIN", body)
    }

    /// Runs `body` in a transaction that `begin` opens, on one connection; rolls back when it throws.
    func transaction<T: Sendable>(
        _ context: String, begin: PostgresQuery, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        do {
            return try await client.withConnection { connection in
                try await connection.query(begin, logger: logger)
                do {
                    let result = try await body(connection)
                    try await connection.query("COMMIT", logger: logger)
                    return result
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
        } catch let cancellation as CancellationError {
            throw cancellation
        } catch {
            throw Self.wrap(error, context)
        }
    }

    /// Locks the head row for the rest of the transaction and reads it.
    static func lockHead(on connection: PostgresConnection, logger: Logger) async throws -> ChainHead {
        let rows = try await connection.query("SELECT seq, hash FROM journal_head WHERE id = 1 FOR UPDATE", logger: logger)
        for try await (seq, hash) in rows.decode((Int64, String).self) {
            return ChainHead(seq: seq, hash: hash)
        }
        throw JournalError(code: .storage, message: "journal_head has no row: the schema was not applied")
    }

    /// Reads the events after `seq` in pages, in order, and hands each page to `body`.
    func forEachPage(
        after seq: Int64, on connection: PostgresConnection, pageSize: Int = 5_000,
        _ body: ([RecordedEvent]) async throws -> Void
    ) async throws {
        var cursor = seq
        while true {
            let page = try await PostgresRows.events(
                after: cursor, filter: .all, limit: pageSize, on: connection, logger: logger)
            guard let last = page.last else { return }
            try await body(page)
            cursor = last.seq
            if page.count < pageSize { return }
        }
    }

    /// Writes a fold's changes: every changed row whole, as the working set holds it.
    func write(
        _ changes: [ProjectionRows.Change], from rows: ProjectionRows, on connection: PostgresConnection
    ) async throws {
        guard !changes.isEmpty else { return }
        let known = rows.rows
        let whole = changes.compactMap { change -> ProjectionRow? in
            switch change {
            case .write(let row): row
            case .update(let id, _, _): known[id] ?? nil
            }
        }
        try await PostgresRows.write(whole, on: connection, logger: logger)
    }

    /// A PostgreSQL or connection error as a `JournalError`: the server's SQLSTATE and message when it said one;
    /// `ioError` when the connection is gone (the gateway answers `JOURNAL_UNAVAILABLE`).
    static func wrap(_ error: any Error, _ context: String, code: JournalError.Code? = nil) -> JournalError {
        if let error = error as? JournalError { return error }
        if let error = error as? PSQLError {
            if let server = error.serverInfo {
                let state = server[.sqlState] ?? "?"
                let message = server[.message] ?? "error"
                let mapped: JournalError.Code
                switch state {
                case "23514", "22P02": mapped = .invalidPayload
                case "23505": mapped = .rowConflict
                case "53100": mapped = .diskFull
                case "25006": mapped = .readOnly
                case _ where state.hasPrefix("57") || state.hasPrefix("08"): mapped = .ioError
                default: mapped = .storage
                }
                return JournalError(
                    code: code ?? mapped, message: "\(context): \(message) (SQLSTATE \(state))", cause: error)
            }
            return JournalError(
                code: code ?? .ioError, message: "\(context): the connection to PostgreSQL failed (\(error.code))",
                cause: error)
        }
        return JournalError(
            code: code ?? .ioError, message: "\(context): \(String(describing: error))",
            cause: error)
    }
}
