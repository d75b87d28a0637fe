import Foundation
import GRDBSQLite
import Journal

/// The journal's append, written on the C API: the same schema, the same statements and the same per-event work
/// as `EventJournal`'s writer for a batch of one request, with every statement prepared once and reused.
///
/// Per transaction: `BEGIN IMMEDIATE`, the head lookup, one `recorded_at` (`Timestamp.string`); per append
/// request: the idempotency lookup of its first event id and the stream's `MAX(stream_version)`; per event: the
/// payload encoded with `JSONEncoder`, the SHA-256 chain hash (`EventHasher.hash`) and the insert.
final class RawJournalWriter {
    private let database: RawDatabase
    private let begin: RawStatement
    private let commit: RawStatement
    private let rollback: RawStatement
    private let head: RawStatement
    private let lookup: RawStatement
    private let maxVersion: RawStatement
    private let insert: RawStatement
    private let encoder = RunPayload.makeEncoder()

    /// Opens a fresh database at `path` in WAL mode under `sync`, applies the journal's schema, and prepares the
    /// statements.
    init(path: String, sync: SyncMode) throws {
        database = try RawDatabase.forWriting(
            path: path, sync: sync, schema: SchemaMigration.journalLayer.map(\.sql))
        begin = try database.prepare("BEGIN IMMEDIATE TRANSACTION")
        commit = try database.prepare("COMMIT TRANSACTION")
        rollback = try database.prepare("ROLLBACK TRANSACTION")
        head = try database.prepare("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")
        lookup = try database.prepare("SELECT seq FROM events WHERE event_id = ?")
        maxVersion = try database.prepare("SELECT MAX(stream_version) FROM events WHERE stream = ?")
        insert = try database.prepare(
            """
            INSERT INTO events (seq, event_id, stream, stream_version, type, schema_version, user_id, thread_id,
                run_id, connection_id, causation_seq, correlation_id, payload, recorded_at, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    /// Appends `events` of `run` to its stream in one transaction.
    /// - Throws: `BenchmarkError` (`sqlite`) when a statement fails (the transaction is rolled back).
    func append(_ events: some Collection<WorkloadEvent>, of run: WorkloadRun) throws {
        guard let first = events.first else { return }
        try begin.run()
        do {
            var (headSeq, headHash) = try loadHead()
            let recordedAt = Timestamp.string(from: Date())
            lookup.bind(1, first.eventID)
            let alreadyRecorded = try lookup.step()
            lookup.reset()
            guard !alreadyRecorded else {
                try commit.run()
                return
            }
            maxVersion.bind(1, run.stream)
            var version: Int64 = try maxVersion.step() && !maxVersion.isNull(0) ? maxVersion.int64(0) : 0
            maxVersion.reset()
            for event in events {
                let payload = try event.encodedPayload(using: encoder)
                version += 1
                let seq = headSeq + 1
                let hash = EventHasher.hash(
                    prevHash: headHash, seq: seq, eventID: event.eventID, stream: run.stream, streamVersion: version,
                    type: event.type, schemaVersion: 1, userID: run.userID, threadID: run.threadID, runID: run.runID,
                    connectionID: nil, causationSeq: nil, correlationID: nil, recordedAt: recordedAt,
                    payload: payload)
                insert.bind(1, seq)
                insert.bind(2, event.eventID)
                insert.bind(3, run.stream)
                insert.bind(4, version)
                insert.bind(5, event.type)
                insert.bind(6, Int64(1))
                insert.bind(7, run.userID)
                insert.bind(8, run.threadID)
                insert.bind(9, run.runID)
                insert.bindNull(10)
                insert.bindNull(11)
                insert.bindNull(12)
                insert.bind(13, payload)
                insert.bind(14, recordedAt)
                insert.bind(15, headHash)
                insert.bind(16, hash)
                try insert.run()
                headSeq = seq
                headHash = hash
            }
            try commit.run()
        } catch {
            try? rollback.run()
            throw error
        }
    }

    private func loadHead() throws -> (Int64, String) {
        defer { head.reset() }
        guard try head.step() else { return (0, EventHasher.genesis) }
        return (head.int64(0), head.text(1))
    }
}
