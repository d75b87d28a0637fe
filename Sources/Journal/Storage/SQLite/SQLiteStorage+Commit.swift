import GRDB
import GRDBSQLite

extension SQLiteStorage {
    package func commit(
        _ batch: [StorageRequest], recordedAt: String, placed: @Sendable (Int, AppendResult) -> Void
    ) async throws -> [StorageOutcome] {
        do {
            return try await pool.writeWithoutTransaction { db in
                do {
                    return try self.commit(batch, recordedAt: recordedAt, placed: placed, in: db)
                } catch {
                    if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK TRANSACTION") }
                    throw error
                }
            }
        } catch {
            throw JournalError.wrap(error, "the journal could not commit")
        }
    }

    /// The batch in one `BEGIN IMMEDIATE` transaction, each request in its own savepoint when there are several.
    private func commit(
        _ batch: [StorageRequest], recordedAt: String, placed: (Int, AppendResult) -> Void, in db: Database
    ) throws -> [StorageOutcome] {
        try db.cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
        try faultInjector?.beforeCommit(batchSize: batch.count)
        var head = try Self.head(in: db)
        var rows = ProjectionRows()
        var outcomes: [StorageOutcome] = []
        outcomes.reserveCapacity(batch.count)
        let isolate = batch.count > 1
        for (index, request) in batch.enumerated() {
            let headBefore = head
            do {
                if isolate {
                    try db.cachedStatement(sql: "SAVEPOINT request").execute()
                    rows.mark()
                }
                let outcome = try perform(request, in: db, head: &head, rows: &rows, recordedAt: recordedAt)
                if isolate {
                    try db.cachedStatement(sql: "RELEASE SAVEPOINT request").execute()
                    rows.releaseMark()
                }
                if case .appended(let result) = outcome, request.answersWhenPlaced { placed(index, result) }
                outcomes.append(outcome)
            } catch {
                guard isolate else {
                    // The only request: nothing else to keep (SQLite may have rolled back already, on a full disk).
                    if db.isInsideTransaction { try db.execute(sql: "ROLLBACK TRANSACTION") }
                    return [.failed(JournalError.wrap(error, "append failed"))]
                }
                head = headBefore
                rows.rollBackToMark()
                try db.execute(sql: "ROLLBACK TO SAVEPOINT request")
                try db.execute(sql: "RELEASE SAVEPOINT request")
                outcomes.append(.failed(JournalError.wrap(error, "append failed")))
            }
        }
        try faultInjector?.atCommit(batchSize: batch.count)
        try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
        return outcomes
    }

    private func perform(
        _ request: StorageRequest, in db: Database, head: inout ChainHead, rows: inout ProjectionRows,
        recordedAt: String
    ) throws -> StorageOutcome {
        switch request {
        case .append(let append):
            let result = try self.append(append, in: db, head: &head, rows: &rows, recordedAt: recordedAt)
            if !result.wasAlreadyRecorded {
                for row in append.rows { try SQLiteRows.write(row, in: db) }
            }
            return .appended(result)
        case .deliveries(let deliveries):
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO deliveries (seq, connection_id, recipient_user_id, frame_type, sent_at)
                    VALUES (?, ?, ?, ?, ?)
                    """)
            for delivery in deliveries {
                try SQLiteRows.execute(
                    statement,
                    binding: [
                        .integer(delivery.seq), .text(delivery.connectionID), .text(delivery.recipientUserID),
                        .text(delivery.frameType), .text(recordedAt),
                    ], in: db)
            }
            return .delivered
        }
    }

    private func append(
        _ append: StorageAppend, in db: Database, head: inout ChainHead, rows: inout ProjectionRows,
        recordedAt: String
    ) throws -> AppendResult {
        guard let first = append.events.first else {
            return AppendResult(stream: append.stream, events: [], wasAlreadyRecorded: false)
        }
        let byID = try db.cachedStatement(sql: "SELECT \(RecordedEvent.selection) FROM events WHERE event_id = ?")
        func recorded(_ eventID: String) throws -> RecordedEvent? {
            try byID.setArguments([eventID])
            var found: RecordedEvent?
            try RecordedEvent.forEach(in: byID) { found = $0 }
            return found
        }
        if try recorded(first.eventID) != nil {
            return try AppendRules.retried(append.events, stream: append.stream, recorded: recorded)
        }
        let current =
            try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT MAX(stream_version) FROM events WHERE stream = ?"),
                arguments: [append.stream]) ?? 0
        try AppendRules.check(append.expected, current: current, stream: append.stream)
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO events (seq, event_id, stream, stream_version, type, schema_version, user_id, thread_id,
                    run_id, connection_id, causation_seq, correlation_id, payload, recorded_at, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        let events = head.seal(append.events, stream: append.stream, after: current, recordedAt: recordedAt)
        for event in events {
            try Self.insert(event, with: insert, in: db)
            try ProjectionFold.apply(event, to: projections, rows: &rows) { ids in
                try SQLiteRows.load(ids, tables: tables, in: db)
            }
            try SQLiteRows.write(rows.takeChanges(), in: db)
        }
        return AppendResult(stream: append.stream, events: events, wasAlreadyRecorded: false)
    }

    /// Inserts one sealed event, bound straight on the C statement.
    private static func insert(_ event: RecordedEvent, with statement: Statement, in db: Database) throws {
        let handle = statement.sqliteStatement
        func bind(_ index: Int32, _ text: String?) {
            if let text {
                SQLiteRows.bindText(text, at: index, of: handle)
            } else {
                sqlite3_bind_null(handle, index)
            }
        }
        func bind(_ index: Int32, _ value: Int64?) {
            if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
        }
        bind(1, event.seq)
        bind(2, event.eventID)
        bind(3, event.stream)
        bind(4, event.streamVersion)
        bind(5, event.type)
        bind(6, Int64(event.schemaVersion))
        bind(7, event.userID)
        bind(8, event.threadID)
        bind(9, event.runID)
        bind(10, event.connectionID)
        bind(11, event.causationSeq)
        bind(12, event.correlationID)
        bind(13, event.payload)
        bind(14, event.recordedAt)
        bind(15, event.prevHash)
        bind(16, event.hash)
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }

    /// The head, read inside the write transaction so that writes by other processes are taken into account.
    static func head(in db: Database) throws -> ChainHead {
        let statement = try db.cachedStatement(sql: "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")
        guard let row = try Row.fetchOne(statement) else { return .genesis }
        return ChainHead(seq: row[0], hash: row[1])
    }
}
