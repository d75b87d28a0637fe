import Dispatch
import Foundation
import Journal
import Testing

@Suite("Snapshots", .timeLimit(.minutes(5)))
struct SnapshotTests {
    @Test("reads in one snapshot see the journal as it was when it began, not what commits meanwhile", arguments: Backend.available)
    func oneConsistentView(backend: Backend) async throws {
        try await withJournal(backend) { journal, _ in
            try await journal.append([event(id: "a-1"), event(id: "a-2")], to: "a")
            try await journal.append([event(id: "b-1")], to: "b")
            let firstRead = DispatchSemaphore(value: 0)
            let appended = DispatchSemaphore(value: 0)
            async let seen = journal.reading { snapshot in
                // Signalled whatever happens: a read that throws must fail the test, not hang it.
                var signalled = false
                defer { if !signalled { firstRead.signal() } }
                let a = try snapshot.stream("a").map(\.eventID)
                firstRead.signal()
                signalled = true
                appended.wait()
                let b = try snapshot.stream("b").map(\.eventID)
                let all = try snapshot.events().map(\.eventID)
                return (a: a, b: b, all: all, head: try snapshot.headSeq())
            }
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    firstRead.wait()
                    continuation.resume()
                }
            }
            do {
                try await journal.append([event(id: "b-2")], to: "b")
            } catch {
                appended.signal()
                throw error
            }
            appended.signal()
            let view = try await seen
            #expect(view.a == ["a-1", "a-2"])
            #expect(view.b == ["b-1"], "b-2 committed after the snapshot began")
            #expect(view.all == ["a-1", "a-2", "b-1"])
            #expect(view.head == 3)
            #expect(try await journal.stream("b").map(\.eventID) == ["b-1", "b-2"])
        }
    }

    @Test("a snapshot's reads filter, limit and fold like the journal's own", arguments: Backend.available)
    func sameAsTheJournalsReads(backend: Backend) async throws {
        try await withJournal(backend) { journal, _ in
            for index in 1...5 {
                try await journal.append(
                    [event(user: index.isMultiple(of: 2) ? "even" : "odd", run: "run-\(index % 2)", id: "e-\(index)")],
                    to: "s-\(index % 2)")
            }
            let (limited, evens, folded) = try await journal.reading { snapshot in
                var folded: [Int64] = []
                try snapshot.forEachEvent(after: 1, filter: .run("run-1")) { folded.append($0.seq) }
                return (
                    try snapshot.events(after: 1, limit: 2).map(\.seq),
                    try snapshot.events(filter: .user("even")).map(\.eventID), folded
                )
            }
            #expect(limited == [2, 3])
            #expect(evens == ["e-2", "e-4"])
            #expect(folded == [3, 5])
            #expect(try await journal.events(after: 1, limit: 2).map(\.seq) == limited)
        }
    }
}
