import Foundation
import GRDBSQLite

/// The workload on the smallest schema that can hold it — `events (seq, stream, version, type, payload)`, one
/// unique index for the stream's order — written on SQLite's C API with the journal's JSON codec: what an append
/// and a read cost with none of the journal's features (event ids and idempotency, owners, the hash chain,
/// projections, the head lookup). The price of those features is the journal's distance to this line.
struct MinimalSQLitePeer: Sendable {
    let workload: Workload

    static let schema = """
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY,
            stream TEXT NOT NULL,
            version INTEGER NOT NULL,
            type TEXT NOT NULL,
            payload TEXT NOT NULL,
            UNIQUE (stream, version)
        )
        """

    // MARK: - Appends

    /// `append_tx_per_event`: one transaction per event.
    func appendTxPerEvent(path: String, sync: SyncMode) throws -> BenchmarkLine {
        let writer = try Writer(path: path, sync: sync)
        let start = ContinuousClock.now
        for run in workload.runs {
            for index in run.events.indices {
                try writer.append(run.events[index...index], of: run, firstVersion: Int64(index) + 1)
            }
        }
        let elapsed = ContinuousClock.now - start
        return withExtendedLifetime(writer) { line(.appendTxPerEvent, path: path, sync: sync, elapsed: elapsed) }
    }

    /// `append_tx_per_run`: one transaction per run of 12 events.
    func appendTxPerRun(path: String) throws -> BenchmarkLine {
        let writer = try Writer(path: path, sync: .normal)
        let start = ContinuousClock.now
        for run in workload.runs {
            try writer.append(run.events[...], of: run, firstVersion: 1)
        }
        let elapsed = ContinuousClock.now - start
        return withExtendedLifetime(writer) { line(.appendTxPerRun, path: path, sync: .normal, elapsed: elapsed) }
    }

    private func line(_ phase: BenchmarkPhase, path: String, sync: SyncMode, elapsed: Duration) -> BenchmarkLine {
        BenchmarkLine(
            peer: .minimalSQLite, phase: phase, events: workload.eventCount, seconds: elapsed.inSeconds, sync: sync,
            dbBytes: BenchmarkFiles.databaseBytes(at: path))
    }

    // MARK: - Reads (each on a new connection: a cold page cache)

    /// `replay_all`: every event in global order, decoded and folded.
    func replayAll(path: String) throws -> BenchmarkLine {
        let database = try RawDatabase(path: path, readOnly: true)
        let select = try database.prepare("SELECT stream, type, payload FROM events ORDER BY seq")
        let decoder = JSONDecoder()
        var states: [String: RunState] = [:]
        let start = ContinuousClock.now
        while try select.step() {
            let payload = try decoder.decode(RunPayload.self, from: select.data(2))
            states[select.text(0), default: RunState()].apply(type: select.text(1), payload: payload)
        }
        select.reset()
        let elapsed = ContinuousClock.now - start
        try RunState.check(states.values, runs: workload.runs.count, peer: .minimalSQLite, phase: .replayAll)
        return BenchmarkLine(
            peer: .minimalSQLite, phase: .replayAll, events: states.values.reduce(0) { $0 + $1.count },
            seconds: elapsed.inSeconds)
    }

    /// `read_per_stream`: each run's stream by name, in the scattered order, decoded and folded.
    func readPerStream(path: String) throws -> BenchmarkLine {
        let database = try RawDatabase(path: path, readOnly: true)
        let select = try database.prepare("SELECT type, payload FROM events WHERE stream = ? ORDER BY version")
        let decoder = JSONDecoder()
        var states = [RunState](repeating: RunState(), count: workload.runs.count)
        let start = ContinuousClock.now
        for index in workload.readOrder {
            var state = RunState()
            select.bind(1, workload.runs[index].stream)
            while try select.step() {
                let payload = try decoder.decode(RunPayload.self, from: select.data(1))
                state.apply(type: select.text(0), payload: payload)
            }
            select.reset()
            states[index] = state
        }
        let elapsed = ContinuousClock.now - start
        try RunState.check(states, runs: workload.runs.count, peer: .minimalSQLite, phase: .readPerStream)
        return BenchmarkLine(
            peer: .minimalSQLite, phase: .readPerStream, events: states.reduce(0) { $0 + $1.count },
            seconds: elapsed.inSeconds)
    }

    /// The minimal append: one insert per event, the payload encoded with the journal's JSON codec.
    private final class Writer {
        private let database: RawDatabase
        private let begin: RawStatement
        private let commit: RawStatement
        private let rollback: RawStatement
        private let insert: RawStatement
        private let encoder = RunPayload.makeEncoder()

        init(path: String, sync: SyncMode) throws {
            database = try RawDatabase.forWriting(path: path, sync: sync, schema: [MinimalSQLitePeer.schema])
            begin = try database.prepare("BEGIN IMMEDIATE TRANSACTION")
            commit = try database.prepare("COMMIT TRANSACTION")
            rollback = try database.prepare("ROLLBACK TRANSACTION")
            insert = try database.prepare("INSERT INTO events (stream, version, type, payload) VALUES (?, ?, ?, ?)")
        }

        func append(_ events: ArraySlice<WorkloadEvent>, of run: WorkloadRun, firstVersion: Int64) throws {
            try begin.run()
            do {
                var version = firstVersion
                for event in events {
                    insert.bind(1, run.stream)
                    insert.bind(2, version)
                    insert.bind(3, event.type)
                    insert.bind(4, try event.encodedPayload(using: encoder))
                    try insert.run()
                    version += 1
                }
                try commit.run()
            } catch {
                try? rollback.run()
                throw error
            }
        }
    }
}
