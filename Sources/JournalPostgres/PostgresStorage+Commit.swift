import GoldenPathJSON
import Journal
import Logging
import PostgresNIO

extension PostgresStorage {
    func commit(
        _ batch: [StorageRequest], recordedAt: String, placed: @Sendable (Int, AppendResult) -> Void
    ) async throws -> [StorageOutcome] {
        try await writeTransaction("the journal could not commit") { connection in
            try await self.commit(batch, recordedAt: recordedAt, placed: placed, on: connection)
        }
    }

    /// The batch in one transaction: lock the head; read what the batch's appends need (recorded ids, stream
    /// versions, projection rows) in one query each; decide every request in memory, in order (a request that fails
    /// is undone in memory alone); then write the events, deliveries and rows in one statement each, move the head
    /// and notify once.
    private func commit(
        _ batch: [StorageRequest], recordedAt: String, placed: (Int, AppendResult) -> Void,
        on connection: PostgresConnection
    ) async throws -> [StorageOutcome] {
        try faultInjector?.beforeCommit(batchSize: batch.count)
        var head = try await Self.lockHead(on: connection, logger: logger)
        let appends = batch.compactMap { request -> StorageAppend? in
            if case .append(let append) = request { return append }
            return nil
        }
        var recorded = try await recordedEvents(withIDs: appends.flatMap { $0.events.map(\.eventID) }, on: connection)
        var versions = try await streamVersions(Set(appends.map(\.stream)), on: connection)
        var rows = try await prefetchRows(for: appends, recorded: recorded, head: head, recordedAt: recordedAt, on: connection)

        var outcomes: [StorageOutcome] = []
        var sealed: [RecordedEvent] = []
        var deliveries: [Delivery] = []
        for (index, request) in batch.enumerated() {
            switch request {
            case .deliveries(let recordedDeliveries):
                deliveries += recordedDeliveries
                outcomes.append(.delivered)
            case .append(let append):
                let headBefore = head
                rows.mark()
                do {
                    let result = try await self.append(
                        append, head: &head, rows: &rows, recorded: recorded, versions: versions,
                        recordedAt: recordedAt, on: connection)
                    rows.releaseMark()
                    if !result.wasAlreadyRecorded, let last = result.events.last {
                        sealed += result.events
                        versions[append.stream] = last.streamVersion
                        for event in result.events { recorded[event.eventID] = event }
                    }
                    if append.completion == .ordered { placed(index, result) }
                    outcomes.append(.appended(result))
                } catch {
                    rows.rollBackToMark()
                    head = headBefore
                    outcomes.append(.failed(Self.wrap(error, "append failed")))
                }
            }
        }
        try await PostgresRows.insert(sealed, on: connection, logger: logger)
        try await PostgresRows.insert(deliveries, sentAt: recordedAt, on: connection, logger: logger)
        try await write(rows.takeChanges(), from: rows, on: connection)
        if !sealed.isEmpty {
            try await connection.query(
                """
                WITH moved AS (
                    UPDATE journal_head SET seq = \(head.seq), hash = \(head.hash) WHERE id = 1 RETURNING seq)
                SELECT pg_notify(\(Self.channel), seq::text) FROM moved
                """, logger: logger)
        }
        try faultInjector?.atCommit(batchSize: batch.count)
        return outcomes
    }

    /// One append, decided in memory (its rows beside it written in a savepoint of their own).
    private func append(
        _ append: StorageAppend, head: inout ChainHead, rows: inout ProjectionRows,
        recorded: [String: RecordedEvent], versions: [String: Int64], recordedAt: String,
        on connection: PostgresConnection
    ) async throws -> AppendResult {
        guard let first = append.events.first else {
            return AppendResult(stream: append.stream, events: [], wasAlreadyRecorded: false)
        }
        if recorded[first.eventID] != nil {
            return try AppendRules.retried(append.events, stream: append.stream) { recorded[$0] }
        }
        for event in append.events {
            do {
                _ = try JSONValue(parsing: event.payload)
            } catch {
                throw JournalError(
                    code: .invalidPayload, message: "the payload of \(event.eventID) is not JSON: \(error)")
            }
        }
        let current = versions[append.stream] ?? 0
        try AppendRules.check(append.expected, current: current, stream: append.stream)
        let events = head.seal(append.events, stream: append.stream, after: current, recordedAt: recordedAt)
        for event in events {
            try ProjectionFold.apply(event, to: projections, rows: &rows) { ids in
                throw JournalError(code: .storage, message: "the rows \(ids) were not loaded before the fold")
            }
        }
        if !append.rows.isEmpty {
            // Rows that may conflict (an account whose name is taken) fail this request only.
            try await connection.query("SAVEPOINT beside", logger: logger)
            do {
                try await PostgresRows.write(append.rows, on: connection, logger: logger)
                try await connection.query("RELEASE SAVEPOINT beside", logger: logger)
            } catch {
                try await connection.query("ROLLBACK TO SAVEPOINT beside", logger: logger)
                throw error
            }
        }
        return AppendResult(stream: append.stream, events: events, wasAlreadyRecorded: false)
    }

    /// The recorded events among these ids, by id.
    private func recordedEvents(
        withIDs ids: [String], on connection: PostgresConnection
    ) async throws -> [String: RecordedEvent] {
        guard !ids.isEmpty else { return [:] }
        var found: [String: RecordedEvent] = [:]
        let query: PostgresQuery = """
            SELECT \(unescaped: PostgresRows.eventColumns) FROM events WHERE event_id = ANY(\(ids))
            """
        for try await row in try await connection.query(query, logger: logger) {
            let event = try PostgresRows.event(from: row)
            found[event.eventID] = event
        }
        return found
    }

    /// Each stream's current version (streams without events are missing: version 0).
    private func streamVersions(_ streams: Set<String>, on connection: PostgresConnection) async throws -> [String: Int64] {
        guard !streams.isEmpty else { return [:] }
        var versions: [String: Int64] = [:]
        let query: PostgresQuery = """
            SELECT stream, MAX(stream_version) FROM events WHERE stream = ANY(\(Array(streams))) GROUP BY stream
            """
        for try await (stream, version) in try await connection.query(query, logger: logger).decode((String, Int64).self) {
            versions[stream] = version
        }
        return versions
    }

    /// Loads, in one query per table, every row the inline projections declare for the batch's new events
    /// (sealed here only to be asked: their `seq` does not change what a projection reads).
    private func prefetchRows(
        for appends: [StorageAppend], recorded: [String: RecordedEvent], head: ChainHead, recordedAt: String,
        on connection: PostgresConnection
    ) async throws -> ProjectionRows {
        var rows = ProjectionRows()
        guard !projections.isEmpty else { return rows }
        var tentative = head
        var wanted: [ProjectionRow.ID] = []
        var seen: Set<ProjectionRow.ID> = []
        for append in appends {
            guard let first = append.events.first, recorded[first.eventID] == nil else { continue }
            for event in tentative.seal(append.events, stream: append.stream, after: 0, recordedAt: recordedAt) {
                for projection in projections {
                    for id in projection.rowsRead(by: event) where seen.insert(id).inserted {
                        wanted.append(id)
                    }
                }
            }
        }
        for (id, row) in try await PostgresRows.load(wanted, tables: tables, on: connection, logger: logger) {
            rows.load(id, row)
        }
        return rows
    }
}
