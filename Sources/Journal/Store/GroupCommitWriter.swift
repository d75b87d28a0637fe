import DequeModule
import Foundation
import GRDB
import GRDBSQLite
import Logging
import Synchronization

/// SQLite's SQLITE_TRANSIENT: it copies bound text before `bind` returns.
private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// The journal's one writer. Appenders queue; the writer drains the queue into one `BEGIN IMMEDIATE` transaction
/// per batch and resumes every appender after that transaction commits.
///
/// Appenders that arrive while a batch commits wait for the next batch, so many concurrent appenders share one
/// commit (and one fsync under `synchronous=FULL`). Each request in a batch runs in its own savepoint: a request
/// that fails (a version conflict, invalid JSON) writes nothing and fails alone; the others commit.
final class GroupCommitWriter: Sendable {
    private struct Append: Sendable {
        var stream: String
        var events: [NewEvent]
        var expected: ExpectedVersion
        var rows: [ProjectionRow]
        var completion: AppendCompletion
        var acknowledgingLoss: Bool
        var continuation: CheckedContinuation<AppendResult, any Error>
    }

    private enum Request: Sendable {
        case append(Append)
        case deliveries([Delivery], continuation: CheckedContinuation<Void, any Error>)

        func fail(_ error: any Error) {
            switch self {
            case .append(let append): append.continuation.resume(throwing: error)
            case .deliveries(_, let continuation): continuation.resume(throwing: error)
            }
        }
    }

    private enum Outcome {
        case appended(AppendResult, CheckedContinuation<AppendResult, any Error>)
        /// An ordered append, already answered: lost (its stream refused) if the batch does not commit.
        case ordered(stream: String)
        case delivered(CheckedContinuation<Void, any Error>)
        case failed(Request, any Error)
    }

    private struct Queue {
        var pending: Deque<Request> = []
        var draining = false
        var closed = false
    }

    private let queue = Mutex(Queue())
    private let counters = Mutex(WriterStatistics())
    /// The streams whose ordered appends were lost when their batch failed, with the failure: later appends to
    /// them are refused with it until one acknowledges the loss. Used by the writer's batches only.
    private let losses = Mutex([String: JournalError]())
    private let pool: DatabasePool
    private let projections: [any JournalProjection]
    private let clock: @Sendable () -> Date
    private let maximumBatchSize: Int
    private let hub: SubscriptionHub
    private let logger: Logger
    private let faultInjector: (any StorageFaultInjector)?

    init(pool: DatabasePool, configuration: JournalConfiguration, hub: SubscriptionHub) {
        self.pool = pool
        self.projections = configuration.inlineProjections
        self.clock = configuration.clock
        self.maximumBatchSize = max(1, configuration.maximumBatchSize)
        self.hub = hub
        self.logger = configuration.logger
        self.faultInjector = configuration.faultInjector
    }

    func append(
        _ events: [NewEvent], to stream: String, expected: ExpectedVersion, rows: [ProjectionRow] = [],
        completion: AppendCompletion = .committed, acknowledgingLoss: Bool = false
    ) async throws -> AppendResult {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(
                .append(
                    Append(
                        stream: stream, events: events, expected: expected, rows: rows, completion: completion,
                        acknowledgingLoss: acknowledgingLoss, continuation: continuation)))
        }
    }

    func record(_ deliveries: [Delivery]) async throws {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(.deliveries(deliveries, continuation: continuation))
        }
    }

    /// What the writer has committed so far.
    var statistics: WriterStatistics { counters.withLock { $0 } }

    /// Fails every queued request and refuses new ones.
    func close() {
        let pending = queue.withLock { queue in
            queue.closed = true
            defer { queue.pending.removeAll() }
            return Array(queue.pending)
        }
        for request in pending {
            request.fail(JournalError(code: .closed, message: "the journal was closed"))
        }
    }

    private func enqueue(_ request: Request) {
        enum Decision { case refuse, queued, startDrain }
        let decision = queue.withLock { queue -> Decision in
            if queue.closed { return .refuse }
            queue.pending.append(request)
            if queue.draining { return .queued }
            queue.draining = true
            return .startDrain
        }
        switch decision {
        case .refuse: request.fail(JournalError(code: .closed, message: "the journal is closed"))
        case .queued: break
        case .startDrain: scheduleDrain()
        }
    }

    /// Runs one batch on the database's writer queue, then schedules the next one if requests are waiting.
    /// One batch per turn lets other writes (and GRDB's own) take their turn between batches.
    private func scheduleDrain() {
        pool.asyncWriteWithoutTransaction { db in
            let batch = self.queue.withLock { queue -> [Request] in
                var batch: [Request] = []
                while batch.count < self.maximumBatchSize, let request = queue.pending.popFirst() {
                    batch.append(request)
                }
                if batch.isEmpty { queue.draining = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            self.commit(batch, in: db)
            self.scheduleDrain()
        }
    }

    private func commit(_ batch: [Request], in db: Database) {
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(batch.count)
        var published: [RecordedEvent] = []
        do {
            try db.cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
            try faultInjector?.beforeCommit(batchSize: batch.count)
            var head = try ChainHead.load(db)
            let recordedAt = Timestamp.string(from: clock())
            let isolate = batch.count > 1
            for request in batch {
                let before = head
                do {
                    if isolate { try db.cachedStatement(sql: "SAVEPOINT request").execute() }
                    var outcome = try perform(request, in: db, head: &head, recordedAt: recordedAt)
                    if isolate { try db.cachedStatement(sql: "RELEASE SAVEPOINT request").execute() }
                    if case .appended(let result, let continuation) = outcome {
                        if !result.wasAlreadyRecorded { published.append(contentsOf: result.events) }
                        if case .append(let append) = request, append.completion == .ordered {
                            // Its place in the order is taken: answer now, before the commit.
                            continuation.resume(returning: result)
                            outcome = .ordered(stream: append.stream)
                        }
                    }
                    outcomes.append(outcome)
                } catch {
                    head = before
                    if isolate {
                        try db.execute(sql: "ROLLBACK TO SAVEPOINT request")
                        try db.execute(sql: "RELEASE SAVEPOINT request")
                    } else {
                        try? db.execute(sql: "ROLLBACK TRANSACTION")
                        request.fail(JournalError.wrap(error, "append failed"))
                        return
                    }
                    outcomes.append(.failed(request, JournalError.wrap(error, "append failed")))
                }
            }
            try faultInjector?.atCommit(batchSize: batch.count)
            try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
            clearAcknowledgedLosses(batch, outcomes: outcomes)
            counters.withLock { counters in
                counters.commits += 1
                counters.requests += batch.count
                counters.events += published.count
                counters.largestBatch = max(counters.largestBatch, batch.count)
            }
        } catch {
            if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK TRANSACTION") }
            let failure = JournalError.wrap(error, "the journal could not commit")
            logger.error("group commit failed", metadata: ["error": "\(failure)", "batch.size": "\(batch.count)"])
            var answered: Set<String> = []
            for outcome in outcomes {
                if case .ordered(let stream) = outcome { answered.insert(stream) }
            }
            if !answered.isEmpty {
                losses.withLock { losses in
                    for stream in answered {
                        losses[stream] = JournalError(
                            code: failure.code,
                            message: "an ordered append to \(stream) was lost when its batch failed: \(failure.message)",
                            cause: failure)
                    }
                }
            }
            for (index, request) in batch.enumerated() {
                if index < outcomes.count, case .ordered = outcomes[index] { continue }  // answered already
                request.fail(failure)
            }
            return
        }
        if !published.isEmpty { hub.publish(published) }
        for outcome in outcomes {
            switch outcome {
            case .appended(let result, let continuation): continuation.resume(returning: result)
            case .ordered: break
            case .delivered(let continuation): continuation.resume()
            case .failed(let request, let error): request.fail(error)
            }
        }
    }

    /// Forgets the losses of the streams whose acknowledging append has just committed.
    private func clearAcknowledgedLosses(_ batch: [Request], outcomes: [Outcome]) {
        let acknowledged = zip(batch, outcomes).compactMap { request, outcome -> String? in
            guard case .append(let append) = request, append.acknowledgingLoss else { return nil }
            if case .failed = outcome { return nil }
            return append.stream
        }
        guard !acknowledged.isEmpty else { return }
        losses.withLock { losses in
            for stream in acknowledged { losses[stream] = nil }
        }
    }

    private func perform(
        _ request: Request, in db: Database, head: inout ChainHead, recordedAt: String
    ) throws -> Outcome {
        switch request {
        case .append(let append):
            // An acknowledging append goes through; the loss is cleared once its batch has committed.
            if !append.acknowledgingLoss, let loss = losses.withLock({ $0[append.stream] }) {
                throw loss
            }
            let result = try appendBatch(
                append.events, to: append.stream, expected: append.expected, in: db, head: &head,
                recordedAt: recordedAt)
            if !result.wasAlreadyRecorded {
                for row in append.rows { try row.write(in: db) }
            }
            return .appended(result, append.continuation)
        case .deliveries(let deliveries, let continuation):
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO deliveries (seq, connection_id, recipient_user_id, frame_type, sent_at)
                    VALUES (?, ?, ?, ?, ?)
                    """)
            for delivery in deliveries {
                try statement.execute(arguments: [
                    delivery.seq, delivery.connectionID, delivery.recipientUserID, delivery.frameType, recordedAt,
                ])
            }
            return .delivered(continuation)
        }
    }

    private func appendBatch(
        _ events: [NewEvent], to stream: String, expected: ExpectedVersion, in db: Database,
        head: inout ChainHead, recordedAt: String
    ) throws -> AppendResult {
        guard let first = events.first else {
            return AppendResult(stream: stream, events: [], wasAlreadyRecorded: false)
        }
        if try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT seq FROM events WHERE event_id = ?"),
            arguments: [first.eventID]) != nil
        {
            return try alreadyRecorded(events, stream: stream, in: db)
        }
        let current =
            try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT MAX(stream_version) FROM events WHERE stream = ?"),
                arguments: [stream]) ?? 0
        guard expected.admits(current) else {
            throw JournalError(
                code: .streamVersionConflict,
                message: "stream \(stream) is at version \(current), the append expected \(expected)")
        }
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO events (seq, event_id, stream, stream_version, type, schema_version, user_id, thread_id,
                    run_id, connection_id, causation_seq, correlation_id, payload, recorded_at, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        var recorded: [RecordedEvent] = []
        recorded.reserveCapacity(events.count)
        var version = current
        for event in events {
            version += 1
            let seq = head.seq + 1
            let hash = EventHasher.hash(
                prevHash: head.hash, seq: seq, eventID: event.eventID, stream: stream, streamVersion: version,
                type: event.type, schemaVersion: event.schemaVersion, userID: event.userID,
                threadID: event.threadID, runID: event.runID, connectionID: event.connectionID,
                causationSeq: event.causationSeq, correlationID: event.correlationID, recordedAt: recordedAt,
                payload: event.payload)
            let handle = insert.sqliteStatement
            func bind(_ index: Int32, _ text: String?) {
                if let text {
                    sqlite3_bind_text(handle, index, text, -1, transient)
                } else {
                    sqlite3_bind_null(handle, index)
                }
            }
            func bind(_ index: Int32, _ value: Int64?) {
                if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
            }
            // Bound straight on the C statement: StatementArguments boxes every value (docs/BENCHMARKS.md).
            let texts: [(Int32, String?)] = [
                (2, event.eventID), (3, stream), (5, event.type), (7, event.userID), (8, event.threadID),
                (9, event.runID), (10, event.connectionID), (12, event.correlationID), (13, event.payload),
                (14, recordedAt), (15, head.hash), (16, hash),
            ]
            for (index, text) in texts { bind(index, text) }
            bind(1, seq)
            bind(4, version)
            bind(6, Int64(event.schemaVersion))
            bind(11, event.causationSeq)
            let code = sqlite3_step(handle)
            sqlite3_reset(handle)
            guard code == SQLITE_DONE else {
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code),
                    message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            let record = RecordedEvent(
                seq: seq, eventID: event.eventID, stream: stream, streamVersion: version, type: event.type,
                schemaVersion: event.schemaVersion, userID: event.userID, threadID: event.threadID,
                runID: event.runID, connectionID: event.connectionID, causationSeq: event.causationSeq,
                correlationID: event.correlationID, payload: event.payload, recordedAt: recordedAt,
                prevHash: head.hash, hash: hash)
            for projection in projections {
                try projection.apply(record, in: db)
            }
            recorded.append(record)
            head = ChainHead(seq: seq, hash: hash)
        }
        return AppendResult(stream: stream, events: recorded, wasAlreadyRecorded: false)
    }

    /// A retried append: every event id must already be recorded, in this stream; returns them as first recorded.
    private func alreadyRecorded(_ events: [NewEvent], stream: String, in db: Database) throws -> AppendResult {
        let statement = try db.cachedStatement(
            sql: "SELECT \(RecordedEvent.selection) FROM events WHERE event_id = ?")
        var recorded: [RecordedEvent] = []
        for event in events {
            guard let row = try Row.fetchOne(statement, arguments: [event.eventID]) else {
                throw JournalError(
                    code: .duplicateEventID,
                    message: "the batch mixes recorded and new event ids (\(event.eventID) is new)")
            }
            let existing = RecordedEvent(row: row)
            guard existing.stream == stream, existing.type == event.type, existing.payload == event.payload else {
                throw JournalError(
                    code: .duplicateEventID,
                    message: "event id \(event.eventID) is already recorded at seq \(existing.seq) with other content")
            }
            recorded.append(existing)
        }
        return AppendResult(stream: stream, events: recorded, wasAlreadyRecorded: true)
    }
}

/// The last event's sequence number and hash: where the next event chains on.
struct ChainHead: Sendable, Equatable {
    var seq: Int64
    var hash: String

    /// Reads the head inside the write transaction, so that writes by other processes are taken into account.
    static func load(_ db: Database) throws -> ChainHead {
        let statement = try db.cachedStatement(sql: "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")
        guard let row = try Row.fetchOne(statement) else {
            return ChainHead(seq: 0, hash: EventHasher.genesis)
        }
        return ChainHead(seq: row[0], hash: row[1])
    }
}
