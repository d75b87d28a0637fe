import GRDB

extension EventJournal {
    /// Checks the whole journal: SQLite's own integrity check, no sequence gaps, contiguous stream versions, an
    /// intact hash chain, the checks of the layers above, and projections equal to a rebuild.
    ///
    /// Two halves run at once, each on a consistent view: the log's checks on a reader connection's snapshot,
    /// the projections' rebuild and comparison on the writer in a savepoint that is rolled back (so the journal is
    /// left exactly as it was). On a journal of 1,000,000 events the rebuild takes most of the time; the log's
    /// checks no longer wait for it (docs/BENCHMARKS.md, `bench verify`).
    /// - Parameter rebuildFirst: Recreate the projection tables from the events (and keep them) before checking.
    /// - Throws: `JournalError` when the journal cannot be read at all.
    public func verify(rebuildFirst: Bool = false) async throws -> IntegrityReport {
        let projections = configuration.inlineProjections
        let checks = configuration.integrityChecks
        if rebuildFirst { try await rebuildProjections() }
        async let log = reading { snapshot in try Self.verifyLog(in: snapshot.database, checks: checks) }
        async let folded = write { db in
            var compared = ProjectionComparison(names: [], problems: [])
            try db.inSavepoint {
                compared = try Self.compareProjections(projections, in: db)
                return .rollback
            }
            return compared
        }
        let (logReport, comparison) = try await (log, folded)
        return IntegrityReport(
            eventCount: logReport.eventCount, headSeq: logReport.headSeq,
            checks: logReport.logChecks + comparison.names + logReport.layerChecks,
            problems: logReport.logProblems + comparison.problems + logReport.layerProblems)
    }

    private static let maximumProblemsPerCheck = 50

    /// What the log's half of ``verify(rebuildFirst:)`` found.
    private struct LogReport: Sendable {
        var eventCount: Int64
        var headSeq: Int64
        var logChecks: [String]
        var logProblems: [IntegrityProblem]
        var layerChecks: [String]
        var layerProblems: [IntegrityProblem]
    }

    /// What the projections' half found.
    private struct ProjectionComparison: Sendable {
        var names: [String]
        var problems: [IntegrityProblem]
    }

    private static func verifyLog(in db: Database, checks: [any IntegrityCheck]) throws -> LogReport {
        var problems: [IntegrityProblem] = []
        let names = ["sqlite", "sequence", "streams", "hash_chain"]
        let sqliteCheck = try String.fetchAll(db, sql: "PRAGMA integrity_check")
        if sqliteCheck != ["ok"] {
            problems += sqliteCheck.prefix(maximumProblemsPerCheck).map {
                IntegrityProblem(check: "sqlite", message: $0)
            }
        }

        // Sequence gaps and the hash chain, in one pass in seq order.
        var count: Int64 = 0
        var expectedSeq: Int64 = 1
        var previousHash = EventHasher.genesis
        var sequenceProblems = 0
        var hashProblems = 0
        let events = try db.cachedStatement(sql: "SELECT \(RecordedEvent.selection) FROM events ORDER BY seq")
        try RecordedEvent.forEach(in: events) { event in
            count += 1
            if event.seq != expectedSeq, sequenceProblems < maximumProblemsPerCheck {
                sequenceProblems += 1
                problems.append(
                    IntegrityProblem(
                        check: "sequence", seq: event.seq,
                        message: "expected seq \(expectedSeq): \(event.seq - expectedSeq) sequence number(s) missing"))
            }
            expectedSeq = event.seq + 1
            if hashProblems < maximumProblemsPerCheck {
                if event.prevHash != previousHash {
                    hashProblems += 1
                    problems.append(
                        IntegrityProblem(
                            check: "hash_chain", seq: event.seq,
                            message: "prev_hash does not match the hash of the event before it"))
                } else if EventHasher.hash(of: event) != event.hash {
                    hashProblems += 1
                    problems.append(
                        IntegrityProblem(
                            check: "hash_chain", seq: event.seq,
                            message: "hash does not match the event's content (\(event.type)): it was altered"))
                }
            }
            previousHash = event.hash
        }

        let streamRows = try Row.fetchAll(
            db,
            sql: """
                SELECT seq, stream, stream_version, expected FROM (
                    SELECT seq, stream, stream_version,
                           ROW_NUMBER() OVER (PARTITION BY stream ORDER BY seq) AS expected
                    FROM events)
                WHERE stream_version != expected
                ORDER BY seq
                LIMIT \(maximumProblemsPerCheck)
                """)
        for row in streamRows {
            let stream: String = row["stream"]
            let version: Int64 = row["stream_version"]
            let expected: Int64 = row["expected"]
            problems.append(
                IntegrityProblem(
                    check: "streams", seq: row["seq"],
                    message: "stream \(stream) has version \(version) where \(expected) was expected"))
        }

        var layerChecks: [String] = []
        var layerProblems: [IntegrityProblem] = []
        for check in checks {
            layerChecks.append(check.name)
            layerProblems += try check.run(in: db)
        }
        let head = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM events") ?? 0
        return LogReport(
            eventCount: count, headSeq: head, logChecks: names, logProblems: problems, layerChecks: layerChecks,
            layerProblems: layerProblems)
    }

    /// Snapshots each projection table, rebuilds inside the caller's savepoint, and compares row for row.
    private static func compareProjections(
        _ projections: [any JournalProjection], in db: Database
    ) throws -> ProjectionComparison {
        var names: [String] = []
        guard !projections.isEmpty else { return ProjectionComparison(names: [], problems: []) }
        let tables = projections.flatMap(\.tables)
        func snapshot() throws -> [String: [Row]] {
            var rows: [String: [Row]] = [:]
            for table in tables {
                let columns = try db.columns(in: table).map { $0.name.quotedDatabaseIdentifier }
                rows[table] = try Row.fetchAll(
                    db,
                    sql: "SELECT * FROM \(table.quotedDatabaseIdentifier) ORDER BY \(columns.joined(separator: ", "))")
            }
            return rows
        }
        let live = try snapshot()
        var problems: [IntegrityProblem] = []
        try rebuild(projections, in: db) { event, projection, error in
            guard problems.count < maximumProblemsPerCheck else { return }
            problems.append(
                IntegrityProblem(
                    check: "projection:\(projection.name)", seq: event.seq,
                    message: "cannot fold event \(event.seq) (\(event.type)): \(error)"))
        }
        let rebuilt = try snapshot()
        for table in tables {
            names.append("projection:\(table)")
            let liveRows = live[table] ?? []
            let rebuiltRows = rebuilt[table] ?? []
            if liveRows == rebuiltRows { continue }
            let firstDifference =
                zip(liveRows, rebuiltRows).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(liveRows.count, rebuiltRows.count)
            let liveRow = firstDifference < liveRows.count ? "\(liveRows[firstDifference])" : "nothing"
            let rebuiltRow = firstDifference < rebuiltRows.count ? "\(rebuiltRows[firstDifference])" : "nothing"
            problems.append(
                IntegrityProblem(
                    check: "projection:\(table)",
                    message: """
                        \(liveRows.count) live row(s), \(rebuiltRows.count) after a rebuild; first difference at row \
                        \(firstDifference + 1): live \(liveRow), rebuilt \(rebuiltRow)
                        """))
        }
        return ProjectionComparison(names: names, problems: problems)
    }
}
