import Foundation
import Journal
import JournalPostgres

/// The workload driven through `EventJournal`'s public, generic API: what the rest of GoldenPath gets.
struct GoldenPathPeer: Sendable {
    let workload: Workload
    /// Where its journals live: SQLite files (`goldenpath`), or schemas of one PostgreSQL database
    /// (`goldenpath-postgres`).
    var databaseURL: String?
    /// Tells this run's PostgreSQL schemas from an earlier run's.
    let runID = UUID().uuidString.lowercased().prefix(8)

    var peer: BenchmarkPeer { databaseURL == nil ? .goldenpath : .goldenpathPostgres }

    /// The journal named `path` (a file; on PostgreSQL, the schema named after the file's name).
    private func open(_ path: String, sync: SyncMode) async throws -> EventJournal {
        var configuration = JournalConfiguration()
        configuration.durability = sync.durability
        guard let databaseURL else { return try EventJournal(path: path, configuration: configuration) }
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            .replacingOccurrences(of: "-", with: "_")
        return try await EventJournal.open(
            databaseURL: databaseURL + "?search_path=bench_\(runID)_\(name)", configuration: configuration)
    }

    private func newEvent(_ event: WorkloadEvent, of run: WorkloadRun, encoder: JSONEncoder) throws -> NewEvent {
        NewEvent(
            eventID: event.eventID, type: event.type, userID: run.userID, threadID: run.threadID, runID: run.runID,
            payload: try event.encodedPayload(using: encoder))
    }

    // MARK: - Appends

    /// `append_tx_per_event`: one `append` (one transaction) per event, run after run.
    func appendTxPerEvent(path: String, sync: SyncMode) async throws -> BenchmarkLine {
        let journal = try await open(path, sync: sync)
        let encoder = RunPayload.makeEncoder()
        let start = ContinuousClock.now
        for run in workload.runs {
            for event in run.events {
                try await journal.append([newEvent(event, of: run, encoder: encoder)], to: run.stream)
            }
        }
        let elapsed = ContinuousClock.now - start
        return try finishAppend(.appendTxPerEvent, journal, path: path, sync: sync, elapsed: elapsed)
    }

    /// `append_tx_per_run`: one `append` of the run's 12 events per run.
    func appendTxPerRun(path: String) async throws -> BenchmarkLine {
        let journal = try await open(path, sync: .normal)
        let encoder = RunPayload.makeEncoder()
        let start = ContinuousClock.now
        for run in workload.runs {
            let events = try run.events.map { try newEvent($0, of: run, encoder: encoder) }
            try await journal.append(events, to: run.stream)
        }
        let elapsed = ContinuousClock.now - start
        return try finishAppend(.appendTxPerRun, journal, path: path, sync: .normal, elapsed: elapsed)
    }

    /// `append_concurrent`: one task per user, each appending its runs one event per call; the writer's group
    /// commit shares each transaction among the appenders waiting at that moment.
    func appendConcurrent(path: String, sync: SyncMode) async throws -> BenchmarkLine {
        let journal = try await open(path, sync: sync)
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for user in 0..<workload.users {
                group.addTask {
                    let encoder = RunPayload.makeEncoder()
                    for run in workload.runs(ofUser: user) {
                        for event in run.events {
                            try await journal.append([newEvent(event, of: run, encoder: encoder)], to: run.stream)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - start
        return try finishAppend(.appendConcurrent, journal, path: path, sync: sync, elapsed: elapsed)
    }

    private func finishAppend(
        _ phase: BenchmarkPhase, _ journal: EventJournal, path: String, sync: SyncMode, elapsed: Duration
    ) throws -> BenchmarkLine {
        let bytes = databaseURL == nil ? BenchmarkFiles.databaseBytes(at: path) : nil
        try journal.close()
        return BenchmarkLine(
            peer: peer, phase: phase, events: workload.eventCount, seconds: elapsed.inSeconds, sync: sync,
            dbBytes: bytes)
    }

    // MARK: - Reads

    /// Opens the journal anew (a cold SQLite page cache) and opens its reader connection, outside the timer.
    private func openForReading(_ path: String) async throws -> EventJournal {
        let journal = try await open(path, sync: .normal)
        _ = try await journal.headSeq()
        return journal
    }

    /// `replay_all`: every event in global order with `forEachEvent`, decoded and folded.
    func replayAll(path: String) async throws -> BenchmarkLine {
        let journal = try await openForReading(path)
        defer { try? journal.close() }
        let decoder = JSONDecoder()
        let folds = FoldAccumulator()
        let start = ContinuousClock.now
        try await journal.forEachEvent { event in
            folds.apply(
                stream: event.stream, type: event.type,
                payload: try event.decodePayload(RunPayload.self, using: decoder))
        }
        let elapsed = ContinuousClock.now - start
        let states = folds.snapshot
        try RunState.check(states.values, runs: workload.runs.count, peer: peer, phase: .replayAll)
        return BenchmarkLine(
            peer: peer, phase: .replayAll, events: states.values.reduce(0) { $0 + $1.count },
            seconds: elapsed.inSeconds)
    }

    /// `read_per_stream`: each run's stream loaded by name with ``JournalSnapshot/stream(_:)``, in the scattered
    /// order, decoded and folded; the phase's look-ups share one snapshot (``EventJournal/reading(_:)``), as a
    /// caller reading many streams would, rather than paying a hop to the reader pool per stream.
    func readPerStream(path: String) async throws -> BenchmarkLine {
        let journal = try await openForReading(path)
        defer { try? journal.close() }
        let order = workload.readOrder
        let runs = workload.runs
        let start = ContinuousClock.now
        let states = try await journal.reading { snapshot in
            let decoder = JSONDecoder()
            var states = [RunState](repeating: RunState(), count: runs.count)
            for index in order {
                var state = RunState()
                for event in try snapshot.stream(runs[index].stream) {
                    state.apply(type: event.type, payload: try event.decodePayload(RunPayload.self, using: decoder))
                }
                states[index] = state
            }
            return states
        }
        let elapsed = ContinuousClock.now - start
        try RunState.check(states, runs: workload.runs.count, peer: peer, phase: .readPerStream)
        return BenchmarkLine(
            peer: peer, phase: .readPerStream, events: states.reduce(0) { $0 + $1.count },
            seconds: elapsed.inSeconds)
    }

    /// `leak_query`: the leak count in SQL, through `read`.
    func leakQuery(path: String) async throws -> BenchmarkLine {
        let journal = try await openForReading(path)
        defer { try? journal.close() }
        let start = ContinuousClock.now
        let query = databaseURL == nil ? Workload.leakQuery : Workload.postgresLeakQuery
        let leaks = try await journal.rows(sql: query).first?.first?.integerValue.map(Int.init) ?? 0
        let elapsed = ContinuousClock.now - start
        return BenchmarkLine(
            peer: peer, phase: .leakQuery, events: workload.eventCount, seconds: elapsed.inSeconds, leaks: leaks)
    }
}
