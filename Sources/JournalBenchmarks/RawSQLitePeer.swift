import Foundation
import GRDBSQLite
import Journal

/// The workload written directly on SQLite's C API: the limit our own code is measured against.
///
/// Same schema, indexes and triggers (`SchemaMigration.journalLayer`), the same SQL per event as the journal
/// (see `RawJournalWriter`), the same SELECT statements for reads, the same JSON codec and payload struct.
struct RawSQLitePeer: Sendable {
    let workload: Workload

    /// The columns the journal's reads select, in its order (`RecordedEvent.selection`).
    static let selection = """
        seq, event_id, stream, stream_version, type, schema_version, user_id, thread_id, run_id, connection_id, \
        causation_seq, correlation_id, payload, recorded_at, prev_hash, hash
        """
    private static let streamColumn: Int32 = 2
    private static let typeColumn: Int32 = 4
    private static let payloadColumn: Int32 = 12

    // MARK: - Appends

    /// `append_tx_per_event`: one transaction per event.
    func appendTxPerEvent(path: String, sync: SyncMode) throws -> BenchmarkLine {
        let writer = try RawJournalWriter(path: path, sync: sync)
        let start = ContinuousClock.now
        for run in workload.runs {
            for index in run.events.indices {
                try writer.append(run.events[index...index], of: run)
            }
        }
        let elapsed = ContinuousClock.now - start
        return withExtendedLifetime(writer) { line(.appendTxPerEvent, path: path, sync: sync, elapsed: elapsed) }
    }

    /// `append_tx_per_run`: one transaction per run of 12 events.
    func appendTxPerRun(path: String) throws -> BenchmarkLine {
        let writer = try RawJournalWriter(path: path, sync: .normal)
        let start = ContinuousClock.now
        for run in workload.runs {
            try writer.append(run.events, of: run)
        }
        let elapsed = ContinuousClock.now - start
        return withExtendedLifetime(writer) { line(.appendTxPerRun, path: path, sync: .normal, elapsed: elapsed) }
    }

    private func line(_ phase: BenchmarkPhase, path: String, sync: SyncMode, elapsed: Duration) -> BenchmarkLine {
        BenchmarkLine(
            peer: .rawSQLite, phase: phase, events: workload.eventCount, seconds: elapsed.inSeconds, sync: sync,
            dbBytes: BenchmarkFiles.databaseBytes(at: path))
    }

    // MARK: - Reads (each on a new connection: a cold page cache)

    /// `replay_all`: every event in global order, decoded and folded.
    func replayAll(path: String) throws -> BenchmarkLine {
        let database = try RawDatabase(path: path, readOnly: true)
        let select = try database.prepare(
            "SELECT \(Self.selection) FROM events WHERE seq > ? AND 1 ORDER BY seq")
        let decoder = JSONDecoder()
        var states: [String: RunState] = [:]
        let start = ContinuousClock.now
        select.bind(1, Int64(0))
        while try select.step() {
            let payload = try decoder.decode(RunPayload.self, from: select.data(Self.payloadColumn))
            states[select.text(Self.streamColumn), default: RunState()]
                .apply(type: select.text(Self.typeColumn), payload: payload)
        }
        select.reset()
        let elapsed = ContinuousClock.now - start
        try RunState.check(states.values, runs: workload.runs.count, peer: .rawSQLite, phase: .replayAll)
        return BenchmarkLine(
            peer: .rawSQLite, phase: .replayAll, events: states.values.reduce(0) { $0 + $1.count },
            seconds: elapsed.inSeconds)
    }

    /// `read_per_stream`: each run's stream by name, in the scattered order, decoded and folded.
    func readPerStream(path: String) throws -> BenchmarkLine {
        let database = try RawDatabase(path: path, readOnly: true)
        let select = try database.prepare(
            "SELECT \(Self.selection) FROM events WHERE seq > ? AND stream = ? ORDER BY seq LIMIT ?")
        let order = workload.readOrder
        let decoder = JSONDecoder()
        var states = [RunState](repeating: RunState(), count: workload.runs.count)
        let start = ContinuousClock.now
        for index in order {
            var state = RunState()
            select.bind(1, Int64(0))
            select.bind(2, workload.runs[index].stream)
            select.bind(3, Int64(-1))
            while try select.step() {
                let payload = try decoder.decode(RunPayload.self, from: select.data(Self.payloadColumn))
                state.apply(type: select.text(Self.typeColumn), payload: payload)
            }
            select.reset()
            states[index] = state
        }
        let elapsed = ContinuousClock.now - start
        try RunState.check(states, runs: workload.runs.count, peer: .rawSQLite, phase: .readPerStream)
        return BenchmarkLine(
            peer: .rawSQLite, phase: .readPerStream, events: states.reduce(0) { $0 + $1.count },
            seconds: elapsed.inSeconds)
    }

    /// `leak_query`: the same SQL as the journal peer.
    func leakQuery(path: String) throws -> BenchmarkLine {
        let database = try RawDatabase(path: path, readOnly: true)
        let count = try database.prepare(Workload.leakQuery)
        let start = ContinuousClock.now
        let leaks = try count.step() ? Int(count.int64(0)) : 0
        count.reset()
        let elapsed = ContinuousClock.now - start
        return BenchmarkLine(
            peer: .rawSQLite, phase: .leakQuery, events: workload.eventCount, seconds: elapsed.inSeconds, leaks: leaks)
    }
}
