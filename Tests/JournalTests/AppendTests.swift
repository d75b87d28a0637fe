import Foundation
import GRDB
import Journal
import Testing

@Suite("Append")
struct AppendTests {
    @Test("100 concurrent appenders × 200 events: all present once, seq 1…N, contiguous streams, chain verifies", arguments: Backend.available)
    func concurrentAppenders(backend: Backend) async throws {
        try await withJournal(backend) { journal, _ in
            let appenders = 100
            // PostgreSQL: fewer events each (a round trip per statement), as many appenders: the suites run at once.
            let perAppender = backend == .sqlite ? 200 : 30
            try await withThrowingTaskGroup(of: Void.self) { group in
                for appender in 0..<appenders {
                    group.addTask {
                        for index in 0..<perAppender {
                            try await journal.append(
                                event(user: "user-\(appender)", id: "e-\(appender)-\(index)",
                                      payload: #"{"appender":\#(appender),"index":\#(index)}"#),
                                to: "stream-\(appender)")
                        }
                    }
                }
                try await group.waitForAll()
            }
            let total = appenders * perAppender
            let seqs = try await journal.integers("SELECT seq FROM events ORDER BY seq")
            #expect(seqs == Array(1...Int64(total)))
            let distinctIDs = try await journal.integer("SELECT COUNT(DISTINCT event_id) FROM events")
            #expect(distinctIDs == Int64(total))
            for appender in [0, 42, 99] {
                let versions = try await journal.stream("stream-\(appender)").map(\.streamVersion)
                #expect(versions == Array(1...Int64(perAppender)))
                let order = try await journal.stream("stream-\(appender)").map { event in
                    try JSONDecoder().decode([String: Int].self, from: Data(event.payload.utf8))["index"]
                }
                #expect(order == Array(0..<perAppender))
            }
            let report = try await journal.verify()
            #expect(report.failures.isEmpty, "\(report.problems)")
            #expect(report.eventCount == Int64(total))
            // Group commit: concurrent appenders shared transactions.
            let statistics = journal.writerStatistics
            #expect(statistics.requests == total)
            #expect(statistics.commits < total / 2, "commits: \(statistics.commits)")
            #expect(statistics.largestBatch > 1)
        }
    }

    @Test("Two appenders race for the same stream version: one wins, the other conflicts and writes nothing", arguments: Backend.available)
    func versionRace(backend: Backend) async throws {
        try await withJournal(backend) { journal, _ in
            try await journal.append([event(id: "seed")], to: "race")
            let outcomes = await withTaskGroup(of: (String, Result<AppendResult, any Error>).self) { group in
                for name in ["a", "b"] {
                    group.addTask {
                        let batch = (0..<3).map { event(id: "\(name)-\($0)") }
                        do {
                            return (name, .success(try await journal.append(batch, to: "race",
                                                                             expectedVersion: .exactly(1))))
                        } catch {
                            return (name, .failure(error))
                        }
                    }
                }
                var outcomes: [String: Result<AppendResult, any Error>] = [:]
                for await (name, outcome) in group { outcomes[name] = outcome }
                return outcomes
            }
            let winners = outcomes.filter { if case .success = $0.value { true } else { false } }
            #expect(winners.count == 1)
            guard let loser = outcomes.first(where: { if case .failure = $0.value { true } else { false } }) else {
                Issue.record("no loser")
                return
            }
            if case .failure(let error) = loser.value {
                #expect((error as? JournalError)?.code == .streamVersionConflict)
            }
            let loserRows = try await journal.integer(
                "SELECT COUNT(*) FROM events WHERE event_id LIKE '\(loser.key)-%'")
            #expect(loserRows == 0)
            #expect(try await journal.stream("race").map(\.streamVersion) == [1, 2, 3, 4])
        }
    }

    @Test("noStream and exact expectations", arguments: Backend.available)
    func expectations(backend: Backend) async throws {
        try await withJournal(backend) { journal, _ in
            try await journal.append([event()], to: "s", expectedVersion: .noStream)
            await #expect(throws: JournalError.self) {
                try await journal.append([event()], to: "s", expectedVersion: .noStream)
            }
            let result = try await journal.append([event(), event()], to: "s", expectedVersion: .exactly(1))
            #expect(result.streamVersion == 3)
        }
    }

    @Test("The same event_id appended twice, also across a reopen: one row, the same sequence number", arguments: Backend.available)
    func idempotentAcrossReopen(backend: Backend) async throws {
        let file = try TestJournal(backend)
        defer { file.remove() }
        var journal = try await file.openJournal()
        try await journal.append([event(id: "other")], to: "x")
        let first = try await journal.append([event(id: "once", payload: #"{"a":1}"#)], to: "s")
        let retry = try await journal.append([event(id: "once", payload: #"{"a":1}"#)], to: "s")
        #expect(retry.seqs == first.seqs)
        #expect(retry.wasAlreadyRecorded)
        try journal.close()
        journal = try await file.openJournal()
        let afterReopen = try await journal.append([event(id: "once", payload: #"{"a":1}"#)], to: "s")
        #expect(afterReopen.seqs == first.seqs)
        #expect(afterReopen.events.first?.hash == first.events.first?.hash)
        let rows = try await journal.integer("SELECT COUNT(*) FROM events WHERE event_id = 'once'")
        #expect(rows == 1)
        #expect(try await journal.headSeq() == 2)
        try journal.close()
    }

    @Test("A recorded event id reused with other content is refused", arguments: Backend.available)
    func duplicateWithOtherContent(backend: Backend) async throws {
        try await withJournal(backend) { journal, _ in
            try await journal.append([event(id: "once", payload: #"{"a":1}"#)], to: "s")
            await #expect(throws: JournalError.self) {
                try await journal.append([event(id: "once", payload: #"{"a":2}"#)], to: "s")
            }
        }
    }

    @Test("On PostgreSQL, NORMAL durability is synchronous_commit = off (SPEC section 7), FULL the server's default",
          .enabled(if: Backend.available.contains(.postgresql)))
    func postgresDurability() async throws {
        for (durability, expected) in [(JournalConfiguration.Durability.full, "on"), (.normal, "off")] {
            try await withJournal(.postgresql, { $0.durability = durability }) { journal, _ in
                let setting = try await journal.rows(sql: "SHOW synchronous_commit")
                #expect(setting == [[.text(expected)]])
            }
        }
    }

    @Test("Durability defaults to synchronous=FULL and can be set to NORMAL")
    func durability() async throws {
        for (durability, expected) in [(JournalConfiguration.Durability.full, 2), (.normal, 1)] {
            try await withJournal({ $0.durability = durability }) { journal, _ in
                let value = try await journal.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
                #expect(value == expected)
                let mode = try await journal.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
                #expect(mode == "wal")
            }
        }
    }

    @Test("Events are append-only: UPDATE and DELETE are refused by triggers", arguments: Backend.available)
    func appendOnly(backend: Backend) async throws {
        try await withJournal(backend) { journal, _ in
            try await journal.append([event()], to: "s")
            await #expect(throws: JournalError.self) { try await journal.execute("UPDATE events SET payload = '{}'") }
            await #expect(throws: JournalError.self) { try await journal.execute("DELETE FROM events") }
            #expect(try await journal.integer("SELECT COUNT(*) FROM events") == 1)
        }
    }

    @Test("Correlation and causation are stored; the hash chain links each event to the one before", arguments: Backend.available)
    func chainAndCausation(backend: Backend) async throws {
        try await withJournal(backend) { journal, _ in
            let cause = try await journal.append(event(id: "cause"), to: "s")
            var effect = event(id: "effect")
            effect.causationSeq = cause.seq
            effect.correlationID = "req-1"
            let recorded = try await journal.append(effect, to: "s")
            #expect(cause.prevHash == EventHasher.genesis)
            #expect(recorded.prevHash == cause.hash)
            #expect(recorded.hash == EventHasher.hash(of: recorded))
            let read = try await journal.stream("s")
            #expect(read.last?.causationSeq == cause.seq)
            #expect(read.last?.correlationID == "req-1")
        }
    }
}
