import Foundation
import Journal
import JournalPostgres
import Testing

/// Two journals open on one PostgreSQL database stand for two gateway processes: each has its own writer, pool,
/// LISTEN connection and tailer, and shares nothing with the other but the database.
@Suite("One PostgreSQL journal, two processes", .enabled(if: Backend.available.contains(.postgresql)))
struct SharedJournalTests {
    @Test("both append at once: one gapless order, and a subscriber on each receives exactly 1…N in the same order")
    func oneOrderForBoth() async throws {
        let file = try TestJournal(.postgresql)
        let first = try await file.openJournal { $0.durability = .normal }
        let second = try await file.openJournal { $0.durability = .normal }
        defer {
            try? first.close()
            try? second.close()
        }
        let writers = 6
        let perWriter = 150
        let total = writers * perWriter
        func collect(_ journal: EventJournal) async throws -> [RecordedEvent] {
            var seen: [RecordedEvent] = []
            for try await event in journal.subscribe(after: 0) {
                seen.append(event)
                if seen.count == total { break }
            }
            return seen
        }
        async let onFirst = collect(first)
        async let onSecond = collect(second)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                let journal = writer.isMultiple(of: 2) ? first : second
                group.addTask {
                    for index in 0..<perWriter {
                        try await journal.append(event(user: "user-\(writer % 3)", id: "w\(writer)-\(index)"), to: "w\(writer)")
                    }
                }
            }
            try await group.waitForAll()
        }
        let (seenFirst, seenSecond) = try await (onFirst, onSecond)
        #expect(seenFirst.map(\.seq) == Array(1...Int64(total)))
        #expect(seenSecond.map(\.eventID) == seenFirst.map(\.eventID))
        for writer in [0, 1, 5] {
            #expect(try await second.stream("w\(writer)").map(\.streamVersion) == Array(1...Int64(perWriter)))
        }
        let report = try await first.verify()
        #expect(report.failures.isEmpty, "\(report.problems)")
        #expect(report.eventCount == Int64(total))
    }

    @Test("a version race between the two: one append wins, the other conflicts and writes nothing")
    func versionRaceAcrossProcesses() async throws {
        let file = try TestJournal(.postgresql)
        let first = try await file.openJournal()
        let second = try await file.openJournal()
        defer {
            try? first.close()
            try? second.close()
        }
        try await first.append(event(id: "seed"), to: "race")
        async let a = Result(catching: { try await first.append([event(id: "a")], to: "race", expectedVersion: .exactly(1)) })
        async let b = Result(catching: { try await second.append([event(id: "b")], to: "race", expectedVersion: .exactly(1)) })
        let outcomes = await [a, b]
        let conflicts = outcomes.compactMap { outcome -> JournalError.Code? in
            guard case .failure(let error) = outcome else { return nil }
            return (error as? JournalError)?.code
        }
        #expect(conflicts == [.streamVersionConflict])
        #expect(try await second.stream("race").map(\.streamVersion) == [1, 2])
    }

    @Test("an append retried on the other process is answered from the log, not written twice")
    func idempotentAcrossProcesses() async throws {
        let file = try TestJournal(.postgresql)
        let first = try await file.openJournal()
        let second = try await file.openJournal()
        defer {
            try? first.close()
            try? second.close()
        }
        let original = try await first.append([event(id: "once", payload: #"{"a":1}"#)], to: "s")
        let retry = try await second.append([event(id: "once", payload: #"{"a":1}"#)], to: "s")
        #expect(retry.wasAlreadyRecorded)
        #expect(retry.events == original.events)
        #expect(try await second.integer("SELECT COUNT(*) FROM events") == 1)
    }
}

extension Result where Failure == any Error {
    /// The outcome of an asynchronous throwing call.
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
