extension EventJournal {
    /// Checks the whole journal: the database engine's own check, no sequence gaps, contiguous stream versions, an
    /// intact hash chain, the checks of the layers above, and projections equal to a rebuild.
    ///
    /// Three parts run at once, each on a consistent view: the engine's check; the log's checks in one pass in
    /// `seq` order; and a rebuild of the inline projections in memory from the events of one snapshot, compared
    /// with the live tables of the same snapshot (so the journal is left exactly as it was, and appends go on).
    /// docs/BENCHMARKS.md (`bench verify`) has what it costs on a journal of 1,000,000 events.
    /// - Parameter rebuildFirst: Recreate the projection tables from the events (and keep them) before checking.
    /// - Throws: `JournalError` when the journal cannot be read at all.
    public func verify(rebuildFirst: Bool = false) async throws -> IntegrityReport {
        let projections = configuration.inlineProjections
        if rebuildFirst { try await rebuildProjections() }
        async let engine = storage.engineCheck()
        let checks = configuration.integrityChecks
        async let log = storage.read { snapshot in try Self.verifyLog(in: snapshot, checks: checks) }
        async let folded = storage.read { snapshot in try Self.compareProjections(projections, in: snapshot) }
        let (engineProblems, logReport, comparison) = try await (engine, log, folded)
        let engineName = storage.engineCheckName
        return IntegrityReport(
            eventCount: logReport.eventCount, headSeq: logReport.headSeq,
            checks: (engineName.map { [$0] } ?? []) + logReport.names + comparison.names + logReport.layerNames,
            problems: engineProblems.prefix(Self.maximumProblemsPerCheck).map {
                IntegrityProblem(check: engineName ?? "engine", message: $0)
            } + logReport.problems + comparison.problems + logReport.layerProblems)
    }

    private static let maximumProblemsPerCheck = 50

    private struct CheckResults: Sendable {
        var eventCount: Int64 = 0
        var headSeq: Int64 = 0
        var names: [String] = []
        var problems: [IntegrityProblem] = []
        var layerNames: [String] = []
        var layerProblems: [IntegrityProblem] = []
    }

    /// Sequence gaps, stream versions and the hash chain, in one pass in `seq` order; then the layers' checks on
    /// the same snapshot.
    private static func verifyLog(in snapshot: any StorageSnapshot, checks: [any IntegrityCheck]) throws -> CheckResults {
        var report = CheckResults(names: ["sequence", "streams", "hash_chain"])
        var sequenceProblems: [IntegrityProblem] = []
        var streamProblems: [IntegrityProblem] = []
        var hashProblems: [IntegrityProblem] = []
        var expectedSeq: Int64 = 1
        var previousHash = EventHasher.genesis
        var versions: [String: Int64] = [:]
        try snapshot.forEachEvent(after: 0, filter: .all, limit: nil) { event in
            report.eventCount += 1
            report.headSeq = event.seq
            if event.seq != expectedSeq, sequenceProblems.count < maximumProblemsPerCheck {
                sequenceProblems.append(
                    IntegrityProblem(
                        check: "sequence", seq: event.seq,
                        message: "expected seq \(expectedSeq): \(event.seq - expectedSeq) sequence number(s) missing"))
            }
            expectedSeq = event.seq + 1
            let expectedVersion = (versions[event.stream] ?? 0) + 1
            versions[event.stream] = expectedVersion
            if event.streamVersion != expectedVersion, streamProblems.count < maximumProblemsPerCheck {
                streamProblems.append(
                    IntegrityProblem(
                        check: "streams", seq: event.seq,
                        message: """
                            stream \(event.stream) has version \(event.streamVersion) where \(expectedVersion) was \
                            expected
                            """))
            }
            if hashProblems.count < maximumProblemsPerCheck {
                if event.prevHash != previousHash {
                    hashProblems.append(
                        IntegrityProblem(
                            check: "hash_chain", seq: event.seq,
                            message: "prev_hash does not match the hash of the event before it"))
                } else if EventHasher.hash(of: event) != event.hash {
                    hashProblems.append(
                        IntegrityProblem(
                            check: "hash_chain", seq: event.seq,
                            message: "hash does not match the event's content (\(event.type)): it was altered"))
                }
            }
            previousHash = event.hash
        }
        report.problems = sequenceProblems + streamProblems + hashProblems
        for check in checks {
            report.layerNames.append(check.name)
            report.layerProblems += try check.run(on: JournalSnapshot(snapshot))
        }
        return report
    }

    /// Folds every event of the snapshot into the projections in memory and compares the rows with the live
    /// tables of the same snapshot. A fold that fails is undone and reported; the others are kept.
    private static func compareProjections(
        _ projections: [any JournalProjection], in snapshot: any StorageSnapshot
    ) throws -> CheckResults {
        var report = CheckResults()
        guard !projections.isEmpty else { return report }
        var rows = ProjectionRows()
        try snapshot.forEachEvent(after: 0, filter: .all, limit: nil) { event in
            for projection in projections {
                rows.mark()
                do {
                    try ProjectionFold.applyFromEmpty(event, to: [projection], rows: &rows)
                    rows.releaseMark()
                } catch {
                    rows.rollBackToMark()
                    guard report.problems.count < maximumProblemsPerCheck else { continue }
                    report.problems.append(
                        IntegrityProblem(
                            check: "projection:\(projection.name)", seq: event.seq,
                            message: "cannot fold event \(event.seq) (\(event.type)): \(error)"))
                }
            }
        }
        var rebuilt: [String: [ProjectionRow.ID: [ProjectionRow.Value]]] = [:]
        let tables = projections.flatMap(\.tables)
        for case (let id, let row?) in rows.rows {
            guard let table = tables.first(where: { $0.name == id.table }) else { continue }
            rebuilt[id.table, default: [:]][id] = table.columns.map { row[$0.name] ?? .null }
        }
        for table in tables {
            report.names.append("projection:\(table.name)")
            var live: [ProjectionRow.ID: [ProjectionRow.Value]] = [:]
            for row in try snapshot.rows(of: table) {
                live[row.id] = table.columns.map { row[$0.name] ?? .null }
            }
            let expected = rebuilt[table.name] ?? [:]
            if live == expected { continue }
            let differing = Set(live.keys).union(expected.keys).filter { live[$0] != expected[$0] }
            let first = differing.min { "\($0.key)" < "\($1.key)" }
            let describe = { (values: [ProjectionRow.Value]?) -> String in
                guard let values else { return "nothing" }
                return zip(table.columns, values).map { "\($0.name): \($1)" }.joined(separator: ", ")
            }
            report.problems.append(
                IntegrityProblem(
                    check: "projection:\(table.name)",
                    message: """
                        \(live.count) live row(s), \(expected.count) after a rebuild, \(differing.count) differ; \
                        first \(first.map { "\($0)" } ?? "?"): live \(describe(first.flatMap { live[$0] })), \
                        rebuilt \(describe(first.flatMap { expected[$0] }))
                        """))
        }
        return report
    }
}
