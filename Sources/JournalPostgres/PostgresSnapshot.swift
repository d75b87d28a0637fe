import Foundation
import Journal
import Logging
import PostgresNIO

/// The reads of ``JournalSnapshot`` on a connection inside a `REPEATABLE READ READ ONLY` transaction.
///
/// A snapshot's reads are synchronous (the same API as SQLite's, where a read costs no round trip). Here the
/// closure runs on a thread of its own (``run(_:)``), and each read waits there for the future of its query: the
/// query runs on the connection's event loop, so neither Swift's cooperative threads nor Dispatch's are ever
/// blocked by a snapshot, nor needed to finish one.
struct PostgresSnapshot: StorageSnapshot, Sendable {
    let connection: PostgresConnection
    let logger: Logger
    /// Events are read in pages, so that a pass over a large log never holds it all.
    var pageSize = 5_000

    func headSeq() throws -> Int64 {
        let rows = try fetch("SELECT COALESCE(MAX(seq), 0) FROM events")
        return try rows.first?.decode(Int64.self) ?? 0
    }

    func forEachEvent(
        after seq: Int64, filter: EventFilter, limit: Int?, _ body: (RecordedEvent) throws -> Void
    ) throws {
        var cursor = seq
        var remaining = limit ?? Int.max
        while remaining > 0 {
            let size = min(pageSize, remaining)
            let page = try fetch(PostgresRows.eventsQuery(after: cursor, filter: filter, limit: size))
                .map(PostgresRows.event(from:))
            for event in page { try body(event) }
            remaining -= page.count
            guard let last = page.last, page.count == size else { return }
            cursor = last.seq
        }
    }

    func rows(of table: ProjectionTable) throws -> [ProjectionRow] {
        let sql = "SELECT \(table.columns.map(\.name).joined(separator: ", ")) FROM \(table.name)"
        return try fetch(PostgresQuery(unsafeSQL: sql)).map { try PostgresRows.row($0, of: table) }
    }

    func rows(_ query: RowQuery) throws -> [ProjectionRow] {
        try fetch(PostgresRows.query(query)).map { try PostgresRows.row($0, of: query) }
    }

    /// Runs a query and waits on this (snapshot) thread for its rows.
    private func fetch(_ query: PostgresQuery) throws -> [PostgresRow] {
        let future: EventLoopFuture<PostgresQueryResult> = connection.query(query, logger: logger)
        return try future.wait().rows
    }

    /// Runs a snapshot's closure on a thread of its own (see the type's documentation).
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.name = "goldenpath.postgres.snapshot"
            thread.start()
        }
    }
}
