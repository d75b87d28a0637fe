import Foundation
import GRDB
import Journal
import Testing

@Suite("Integrity")
struct IntegrityTests {
    @Test("verify passes on a healthy journal and names the event whose payload was altered", arguments: Backend.available)
    func tamperedPayload(backend: Backend) async throws {
        try await withJournal(backend, { $0.durability = .normal }) { journal, _ in
            for index in 0..<30 { try await journal.append(event(id: "e\(index)", payload: #"{"n":\#(index)}"#), to: "s\(index % 3)") }
            #expect(try await journal.verify().passes())
            try await tamper(journal, backend, #"UPDATE events SET payload = '{"n":99}' WHERE seq = 17"#)
            let report = try await journal.verify()
            #expect(!report.passes())
            #expect(report.failures.first?.seq == 17)
            #expect(report.failures.first?.check == "hash_chain")
        }
    }

    @Test("verify reports a sequence gap and a broken stream", arguments: Backend.available)
    func gapAndStream(backend: Backend) async throws {
        try await withJournal(backend, { $0.durability = .normal }) { journal, _ in
            for index in 0..<10 { try await journal.append(event(id: "e\(index)"), to: "s") }
            try await tamper(journal, backend, "DELETE FROM events WHERE seq = 5")
            let report = try await journal.verify()
            let checks = Set(report.failures.map(\.check))
            #expect(checks.contains("sequence"))
            #expect(checks.contains("streams"))
            #expect(checks.contains("hash_chain"))
            #expect(report.failures.first { $0.check == "sequence" }?.seq == 6)
        }
    }

    @Test("Checks from the layers above run and fail verification", arguments: Backend.available)
    func extraChecks(backend: Backend) async throws {
        struct NoEventsOfTypeBad: IntegrityCheck {
            let name = "no_bad_events"
            func run(on snapshot: JournalSnapshot) throws -> [IntegrityProblem] {
                try snapshot.rows(RowQuery(from: "events", columns: ["seq"], where: [.equals("type", .text("bad"))]))
                    .map { IntegrityProblem(check: name, seq: $0["seq"]?.integerValue, message: "a bad event") }
            }
        }
        try await withJournal(backend, { $0.integrityChecks = [NoEventsOfTypeBad()] }) { journal, _ in
            try await journal.append(event("good"), to: "s")
            #expect(try await journal.verify().passes())
            try await journal.append(event("bad"), to: "s")
            let report = try await journal.verify()
            #expect(report.failures.map(\.seq) == [2])
        }
    }
}

@Suite("Integrity of projections")
struct ProjectionIntegrityTests {
    @Test("An event a projection can no longer fold is reported by seq, not thrown", arguments: Backend.available)
    func undecodableEventReported(backend: Backend) async throws {
        try await withJournal(backend, ProjectionTests.configure) { journal, _ in
            for index in 0..<5 { try await journal.append(event(id: "e\(index)", payload: #"{"n":\#(index)}"#), to: "s") }
            try await tamper(journal, backend, #"UPDATE events SET payload = '{"n":"three"}' WHERE seq = 4"#)
            let report = try await journal.verify()
            #expect(report.failures.contains { $0.check == "projection:owner_totals" && $0.seq == 4 })
            #expect(report.failures.contains { $0.check == "hash_chain" && $0.seq == 4 })
        }
    }
}

/// Changes the log behind the journal's back, as an attacker or a broken disk would: the triggers that refuse it
/// are dropped (SQLite) or disabled (PostgreSQL) first.
func tamper(_ journal: EventJournal, _ backend: Backend, _ sql: String) async throws {
    switch backend {
    case .sqlite:
        try await journal.execute("DROP TRIGGER IF EXISTS events_refuse_update")
        try await journal.execute("DROP TRIGGER IF EXISTS events_refuse_delete")
    case .postgresql:
        try await journal.execute("ALTER TABLE events DISABLE TRIGGER events_refuse_change")
    }
    try await journal.execute(sql)
}
