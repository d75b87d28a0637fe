import Foundation
import Journal
import Testing

/// A projection for tests: per owner, the number of events, the last type and the sum of the payloads' `n`.
struct OwnerTotals: JournalProjection {
    static let migration = SchemaMigration(
        name: "9001_test_owner_totals",
        sql: """
            CREATE TABLE owner_totals (user_id TEXT PRIMARY KEY, events INTEGER NOT NULL, last_type TEXT NOT NULL,
                                       total INTEGER NOT NULL, last_seq INTEGER NOT NULL);
            """,
        postgresSQL: """
            CREATE TABLE owner_totals (user_id TEXT PRIMARY KEY, events BIGINT NOT NULL, last_type TEXT NOT NULL,
                                       total BIGINT NOT NULL, last_seq BIGINT NOT NULL);
            """)
    let name = "owner_totals"
    let tables = [
        ProjectionTable(
            name: "owner_totals", key: ["user_id"],
            columns: [
                .init("user_id", .text), .init("events", .integer), .init("last_type", .text), .init("total", .integer),
                .init("last_seq", .integer),
            ])
    ]

    func rowsRead(by event: RecordedEvent) -> [ProjectionRow.ID] {
        event.userID.map { [ProjectionRow.ID(table: "owner_totals", key: [.text($0)])] } ?? []
    }

    func apply(_ event: RecordedEvent, to rows: inout ProjectionRows) throws {
        guard let user = event.userID else { return }
        let n = try JSONDecoder().decode([String: Int].self, from: Data(event.payload.utf8))["n"] ?? 0
        let existing = try rows.row(ProjectionRow.ID(table: "owner_totals", key: [.text(user)]))
        rows.write(
            ProjectionRow(
                table: "owner_totals", key: ["user_id"],
                columns: [
                    ("user_id", .text(user)), ("events", .integer((existing?["events"]?.integerValue ?? 0) + 1)),
                    ("last_type", .text(event.type)),
                    ("total", .integer((existing?["total"]?.integerValue ?? 0) + Int64(n))),
                    ("last_seq", .integer(event.seq)),
                ]))
    }
}

@Suite("Projections")
struct ProjectionTests {
    static func configure(_ configuration: inout JournalConfiguration) {
        configuration.durability = .normal
        configuration.migrations = [OwnerTotals.migration]
        configuration.inlineProjections = [OwnerTotals()]
    }

    /// The projection's rows as values: user_id, events, last_type, total, last_seq.
    static func rows(_ journal: EventJournal) async throws -> [[ProjectionRow.Value]] {
        try await journal.rows(
            sql: "SELECT user_id, events, last_type, total, last_seq FROM owner_totals ORDER BY user_id")
    }

    @Test("After a random workload, the live projection equals a rebuild, row for row", arguments: Backend.available)
    func liveEqualsRebuild(backend: Backend) async throws {
        try await withJournal(Self.configure) { journal, _ in
            var generator = SeededGenerator(seed: 42)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<8 {
                    let plan = (0..<150).map { _ in
                        (Int.random(in: 0..<12, using: &generator), Int.random(in: -50...50, using: &generator),
                         Int.random(in: 1...3, using: &generator))
                    }
                    group.addTask {
                        for (index, (user, n, size)) in plan.enumerated() {
                            let batch = (0..<size).map { part in
                                event(["a", "b", "c"][part % 3], user: "u\(user)", id: "w\(worker)-\(index)-\(part)",
                                      payload: #"{"n":\#(n)}"#)
                            }
                            try await journal.append(batch, to: "w\(worker)-\(user)")
                        }
                    }
                }
                try await group.waitForAll()
            }
            let live = try await Self.rows(journal)
            #expect(live.count == 12)
            let report = try await journal.verify()
            #expect(report.failures.isEmpty, "\(report.problems)")
            #expect(report.checks.contains("projection:owner_totals"))
            try await journal.rebuildProjections()
            #expect(try await Self.rows(journal) == live)
            // The totals equal a fold computed here from the events.
            let events = try await journal.events()
            var totals: [String: Int] = [:]
            for event in events {
                let n = try JSONDecoder().decode([String: Int].self, from: Data(event.payload.utf8))["n"] ?? 0
                totals[event.userID ?? "", default: 0] += n
            }
            let projected = Dictionary(uniqueKeysWithValues: live.map {
                ($0[0].textValue ?? "", Int($0[3].integerValue ?? 0))
            })
            #expect(projected == totals)
        }
    }

    @Test("verify finds a projection that drifted from the log, and --rebuild repairs it", arguments: Backend.available)
    func driftDetected(backend: Backend) async throws {
        try await withJournal(Self.configure) { journal, _ in
            for index in 0..<10 { try await journal.append(event(user: "u\(index % 2)", id: "e\(index)"), to: "s") }
            try await journal.execute("UPDATE owner_totals SET total = 999 WHERE user_id = 'u1'")
            let report = try await journal.verify()
            #expect(report.failures.map(\.check) == ["projection:owner_totals"])
            // verify itself leaves the tables as they were.
            #expect(try await Self.rows(journal).contains { $0[3] == .integer(999) })
            let repaired = try await journal.verify(rebuildFirst: true)
            #expect(repaired.failures.isEmpty)
        }
    }

    @Test("A projection that fails rejects its append and nothing is written", arguments: Backend.available)
    func failingProjectionAbortsAppend(backend: Backend) async throws {
        try await withJournal(Self.configure) { journal, _ in
            try await journal.append(event(id: "ok"), to: "s")
            await #expect(throws: (any Error).self) {
                try await journal.append(event(id: "bad", payload: #"{"n":"not a number"}"#), to: "s")
            }
            #expect(try await journal.headSeq() == 1)
        }
    }

    @Test("A checkpointed projection catches up from its checkpoint", arguments: Backend.available)
    func checkpointed(backend: Backend) async throws {
        try await withJournal(backend, { configuration in
            configuration.durability = .normal
            configuration.migrations = [OwnerTotals.migration]
        }) { journal, _ in
            for index in 0..<5 { try await journal.append(event(id: "a\(index)"), to: "s") }
            #expect(try await journal.catchUp(OwnerTotals()) == 5)
            for index in 0..<3 { try await journal.append(event(id: "b\(index)"), to: "s") }
            #expect(try await journal.catchUp(OwnerTotals()) == 8)
            let rows = try await Self.rows(journal)
            #expect(rows.first?[1] == .integer(8))
        }
    }
}

/// A deterministic random number generator (SplitMix64), so that workloads repeat.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Projection rows")
struct ProjectionRowsTests {
    static let id = ProjectionRow.ID(table: "t", key: [.text("k")])

    static func row(_ n: Int64) -> ProjectionRow {
        ProjectionRow(table: "t", key: ["key"], columns: [("key", .text("k")), ("n", .integer(n))])
    }

    @Test("a fold undone after a mark leaves the rows and the pending changes as they were; a kept one stays")
    func rollBackToMark() throws {
        var rows = ProjectionRows()
        rows.load(Self.id, Self.row(1))
        rows.mark()
        try rows.update(Self.id, set: [("n", .integer(2))])
        rows.write(ProjectionRow(table: "t", key: ["key"], columns: [("key", .text("other")), ("n", .integer(9))]))
        rows.rollBackToMark()
        #expect(try rows.row(Self.id) == Self.row(1))
        #expect(!rows.isKnown(ProjectionRow.ID(table: "t", key: [.text("other")])))
        #expect(rows.takeChanges().isEmpty)

        rows.mark()
        try rows.update(Self.id, set: [("n", .integer(3))])
        rows.releaseMark()
        #expect(try rows.row(Self.id)?["n"] == .integer(3))
        let changes = rows.takeChanges()
        #expect(changes.count == 1)
        guard case .update(_, _, let columns)? = changes.first else {
            Issue.record("expected a partial update, got \(changes)")
            return
        }
        #expect(columns.map(\.name) == ["n"] && columns.map(\.value) == [.integer(3)])
    }

    @Test("a row that was neither declared nor written cannot be read")
    func undeclaredRead() {
        let rows = ProjectionRows()
        #expect(throws: ProjectionError.self) { try rows.row(Self.id) }
    }
}
