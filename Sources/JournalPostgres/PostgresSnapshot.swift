import Dispatch
import Journal
import Logging
import PostgresNIO
import Synchronization

/// The reads of ``JournalSnapshot`` on a connection inside a `REPEATABLE READ READ ONLY` transaction.
///
/// A snapshot's reads are synchronous (the same API as SQLite's, where a read costs no round trip). Here the
/// closure runs on a thread of its own (``run(_:)``), never on one of Swift's cooperative threads, and each read
/// waits there for its query: the connection stays on its event loop and the cooperative pool is never blocked.
struct PostgresSnapshot: StorageSnapshot, Sendable {
    let connection: PostgresConnection
    let logger: Logger
    /// Events are read in pages, so that a pass over a large log never holds it all.
    var pageSize = 5_000

    func headSeq() throws -> Int64 {
        try waitFor {
            var head: Int64 = 0
            let rows = try await connection.query("SELECT COALESCE(MAX(seq), 0) FROM events", logger: logger)
            for try await seq in rows.decode(Int64.self) { head = seq }
            return head
        }
    }

    func forEachEvent(
        after seq: Int64, filter: EventFilter, limit: Int?, _ body: (RecordedEvent) throws -> Void
    ) throws {
        var cursor = seq
        var remaining = limit ?? Int.max
        while remaining > 0 {
            let size = min(pageSize, remaining)
            let page: [RecordedEvent] = try waitFor { [cursor] in try await self.page(after: cursor, filter: filter, limit: size) }
            for event in page { try body(event) }
            remaining -= page.count
            guard let last = page.last, page.count == size else { return }
            cursor = last.seq
        }
    }

    func rows(of table: ProjectionTable) throws -> [ProjectionRow] {
        try waitFor {
            let sql = "SELECT \(table.columns.map(\.name).joined(separator: ", ")) FROM \(table.name)"
            return try await PostgresRows.rows(of: table, PostgresQuery(unsafeSQL: sql), connection, logger)
        }
    }

    private func page(after seq: Int64, filter: EventFilter, limit: Int) async throws -> [RecordedEvent] {
        var binds = PostgresBindings()
        binds.append(seq)
        var sql = "SELECT \(PostgresRows.eventColumns) FROM events WHERE seq > $1"
        switch filter {
        case .all: break
        case .user(let id): sql += " AND user_id = $2"; binds.append(id)
        case .run(let id): sql += " AND run_id = $2"; binds.append(id)
        case .thread(let id): sql += " AND thread_id = $2"; binds.append(id)
        case .stream(let name): sql += " AND stream = $2"; binds.append(name)
        }
        sql += " ORDER BY seq LIMIT \(limit)"
        var events: [RecordedEvent] = []
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger) {
            events.append(try PostgresRows.event(from: row))
        }
        return events
    }

    /// Waits on this (non-cooperative) thread for an asynchronous query.
    private func waitFor<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) throws -> T {
        let result = Mutex<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let outcome: Result<T, any Error>
            do { outcome = .success(try await operation()) } catch { outcome = .failure(error) }
            result.withLock { $0 = outcome }
            done.signal()
        }
        done.wait()
        guard let outcome = result.withLock({ $0 }) else {
            throw JournalError(code: .storage, message: "a snapshot read ended without an answer")
        }
        return try outcome.get()
    }

    /// Runs a snapshot's closure on a thread of its own (see the type's documentation).
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
