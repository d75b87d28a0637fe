/// The standard journal workload (docs/BENCHMARKS.md): six phases run by the journal and, in the same run, by the
/// same work written directly on SQLite's C API and by the workload on a minimal schema (`minimal-sqlite`, no
/// `leak_query`: it has no owners), each on fresh databases in one directory.
///
/// ```swift
/// let lines = try await JournalBenchmark(configuration: .init(users: 100, runsPerUser: 20)).run { line in
///     print(line.jsonLine)
/// }
/// ```
public struct JournalBenchmark: Sendable {
    /// What to run.
    public let configuration: JournalBenchmarkConfiguration

    /// Creates a benchmark.
    public init(configuration: JournalBenchmarkConfiguration = JournalBenchmarkConfiguration()) {
        self.configuration = configuration
    }

    /// Runs every phase, for both peers, and reports each line as soon as its phase ends.
    ///
    /// Order: `append_tx_per_event`, `append_tx_per_run`, `append_concurrent` (goldenpath), `replay_all`,
    /// `read_per_stream`, `leak_query` (the reads on the databases of `append_tx_per_event`), then
    /// `append_tx_per_event` and `append_concurrent` again at `synchronous=FULL`. Each phase runs goldenpath first,
    /// then raw-sqlite, then minimal-sqlite, so that they see the same machine at nearly the same time.
    /// - Returns: every line, in the order reported.
    /// - Throws: `BenchmarkError` when a fold or the leak count is wrong (`foldMismatch`, `leakMismatch`), or
    ///   the journal's or SQLite's errors.
    @discardableResult
    public func run(report: @Sendable (BenchmarkLine) -> Void = { _ in }) async throws -> [BenchmarkLine] {
        let workload = try Workload(users: configuration.users, runsPerUser: configuration.runsPerUser)
        try workload.warmUp()
        let files = try BenchmarkFiles(directory: configuration.directory)
        defer { if !configuration.keepDatabases { files.removeIfOwned() } }
        let goldenpath = GoldenPathPeer(workload: workload)
        let postgres = configuration.databaseURL.map { GoldenPathPeer(workload: workload, databaseURL: $0) }
        let raw = RawSQLitePeer(workload: workload)
        let minimal = MinimalSQLitePeer(workload: workload)
        var lines: [BenchmarkLine] = []
        func emit(_ line: BenchmarkLine) {
            lines.append(line)
            report(line)
        }

        let journalPath = files.freshDatabase("goldenpath-tx-per-event")
        let rawPath = files.freshDatabase("raw-tx-per-event")
        let minimalPath = files.freshDatabase("minimal-tx-per-event")
        emit(try await goldenpath.appendTxPerEvent(path: journalPath, sync: .normal))
        if let postgres { emit(try await postgres.appendTxPerEvent(path: journalPath, sync: .normal)) }
        emit(try raw.appendTxPerEvent(path: rawPath, sync: .normal))
        emit(try minimal.appendTxPerEvent(path: minimalPath, sync: .normal))
        emit(try await goldenpath.appendTxPerRun(path: files.freshDatabase("goldenpath-tx-per-run")))
        if let postgres { emit(try await postgres.appendTxPerRun(path: files.freshDatabase("goldenpath-tx-per-run"))) }
        emit(try raw.appendTxPerRun(path: files.freshDatabase("raw-tx-per-run")))
        emit(try minimal.appendTxPerRun(path: files.freshDatabase("minimal-tx-per-run")))
        emit(try await goldenpath.appendConcurrent(path: files.freshDatabase("goldenpath-concurrent"), sync: .normal))
        if let postgres {
            emit(try await postgres.appendConcurrent(path: files.freshDatabase("goldenpath-concurrent"), sync: .normal))
        }

        emit(try await goldenpath.replayAll(path: journalPath))
        if let postgres { emit(try await postgres.replayAll(path: journalPath)) }
        emit(try raw.replayAll(path: rawPath))
        emit(try minimal.replayAll(path: minimalPath))
        emit(try await goldenpath.readPerStream(path: journalPath))
        if let postgres { emit(try await postgres.readPerStream(path: journalPath)) }
        emit(try raw.readPerStream(path: rawPath))
        emit(try minimal.readPerStream(path: minimalPath))
        var leakLines = [try await goldenpath.leakQuery(path: journalPath)]
        if let postgres { leakLines.append(try await postgres.leakQuery(path: journalPath)) }
        for line in leakLines + [try raw.leakQuery(path: rawPath)] {
            emit(line)
            guard line.leaks == workload.plantedLeaks else {
                throw BenchmarkError(
                    code: .leakMismatch,
                    message: "\(line.peer.rawValue) found \(line.leaks ?? 0) leaks, "
                        + "\(workload.plantedLeaks) were planted")
            }
        }

        let fullJournalPath = files.freshDatabase("goldenpath-tx-per-event-full")
        emit(try await goldenpath.appendTxPerEvent(path: fullJournalPath, sync: .full))
        if let postgres { emit(try await postgres.appendTxPerEvent(path: fullJournalPath, sync: .full)) }
        emit(try raw.appendTxPerEvent(path: files.freshDatabase("raw-tx-per-event-full"), sync: .full))
        emit(try minimal.appendTxPerEvent(path: files.freshDatabase("minimal-tx-per-event-full"), sync: .full))
        let fullConcurrentPath = files.freshDatabase("goldenpath-concurrent-full")
        emit(try await goldenpath.appendConcurrent(path: fullConcurrentPath, sync: .full))
        if let postgres { emit(try await postgres.appendConcurrent(path: fullConcurrentPath, sync: .full)) }
        return lines
    }
}
