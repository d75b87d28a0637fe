import Foundation
import Journal
import Testing

@Suite("Subscribe")
struct SubscriptionTests {
    @Test("A subscriber from 0 while 10 writers append receives exactly 1…N in order", arguments: Backend.available)
    func gaplessWhileWritersRace(backend: Backend) async throws {
        try await withJournal(backend, { $0.durability = .normal }) { journal, _ in
            // Some events exist before the subscription starts, so catch-up races with live appends.
            for index in 0..<50 { try await journal.append(event(user: "early", id: "pre-\(index)"), to: "pre") }
            let writers = 10
            let perWriter = backend == .sqlite ? 300 : 60
            let total = 50 + writers * perWriter
            try await withThrowingTaskGroup(of: [Int64].self) { group in
                group.addTask {
                    var seen: [Int64] = []
                    for try await event in journal.subscribe(after: 0) {
                        seen.append(event.seq)
                        if seen.count == total { break }
                    }
                    return seen
                }
                for writer in 0..<writers {
                    group.addTask {
                        for index in 0..<perWriter {
                            try await journal.append(event(user: "user-\(writer % 3)", id: "w\(writer)-\(index)"),
                                                     to: "w\(writer)")
                        }
                        return []
                    }
                }
                var seen: [Int64] = []
                for try await result in group where !result.isEmpty { seen = result }
                #expect(seen == Array(1...Int64(total)))
            }
        }
    }

    @Test("A user-filtered subscriber receives exactly that user's events and nothing else", arguments: Backend.available)
    func filteredByUser(backend: Backend) async throws {
        try await withJournal(backend, { $0.durability = .normal }) { journal, _ in
            let users = ["alice", "bob", "carol"]
            let perUser = backend == .sqlite ? 200 : 60
            try await withThrowingTaskGroup(of: [RecordedEvent].self) { group in
                group.addTask {
                    var seen: [RecordedEvent] = []
                    for try await event in journal.subscribe(after: 0, filter: .user("bob")) {
                        seen.append(event)
                        if seen.count == perUser { break }
                    }
                    return seen
                }
                for user in users {
                    group.addTask {
                        for index in 0..<perUser {
                            try await journal.append(event(user: user, id: "\(user)-\(index)"), to: "s-\(user)")
                        }
                        return []
                    }
                }
                var bobs: [RecordedEvent] = []
                for try await result in group where !result.isEmpty { bobs = result }
                #expect(bobs.count == perUser)
                #expect(bobs.allSatisfy { $0.userID == "bob" })
                #expect(bobs.map(\.eventID) == (0..<perUser).map { "bob-\($0)" })
                let expected = try await journal.events(filter: .user("bob")).map(\.seq)
                #expect(bobs.map(\.seq) == expected)
            }
        }
    }

    @Test("A slow consumer: the writer never waits, the buffer stays bounded, and nothing is lost", arguments: Backend.available)
    func slowConsumerCatchesUpFromDisk(backend: Backend) async throws {
        try await withJournal(backend, { $0.durability = .normal }) { journal, _ in
            let subscription = journal.subscribe(after: 0, options: SubscriptionOptions(bufferLimit: 8, pageSize: 16))
            var iterator = subscription.makeAsyncIterator()
            try await journal.append(event(id: "first"), to: "s")
            let first = try await iterator.next()
            #expect(first?.seq == 1)
            // 500 events while the consumer does not read: far more than its buffer of 8.
            for index in 0..<500 { try await journal.append(event(id: "e\(index)"), to: "s") }
            var seen: [Int64] = [1]
            while seen.count < 501, let next = try await iterator.next() { seen.append(next.seq) }
            #expect(seen == Array(1...501))
        }
    }

    @Test("With the fail policy, a consumer that falls behind gets subscriberLagged", arguments: Backend.available)
    func lagFails(backend: Backend) async throws {
        try await withJournal(backend, { $0.durability = .normal }) { journal, _ in
            let subscription = journal.subscribe(
                after: 0, options: SubscriptionOptions(bufferLimit: 8, overflow: .fail))
            var iterator = subscription.makeAsyncIterator()
            try await journal.append(event(id: "first"), to: "s")
            #expect(try await iterator.next()?.seq == 1)
            for index in 0..<50 { try await journal.append(event(id: "e\(index)"), to: "s") }
            await #expect {
                while try await iterator.next() != nil {}
            } throws: { error in
                (error as? JournalError)?.code == .subscriberLagged
            }
        }
    }

    @Test("Cancelling the iterating task unregisters the subscriber", arguments: Backend.available)
    func cancellationReleases(backend: Backend) async throws {
        try await withJournal(backend, { $0.durability = .normal }) { journal, _ in
            let started = AsyncStream<Void>.makeStream()
            let task = Task {
                var iterator = journal.subscribe(after: 0).makeAsyncIterator()
                started.continuation.yield()
                while try await iterator.next() != nil {}
            }
            var waiter = started.stream.makeAsyncIterator()
            await waiter.next()
            // The subscriber is registered once iteration starts.
            try await journal.append(event(), to: "s")
            #expect(journal.subscriberCount == 1)
            task.cancel()
            let outcome = await task.result
            #expect(throws: CancellationError.self) { try outcome.get() }
            #expect(journal.subscriberCount == 0)
        }
    }

    @Test("Closing the journal ends live subscriptions", arguments: Backend.available)
    func closeEnds(backend: Backend) async throws {
        let file = try TestJournal(backend)
        defer { file.remove() }
        let journal = try await file.openJournal()
        try await journal.append(event(), to: "s")
        var iterator = journal.subscribe(after: 0).makeAsyncIterator()
        #expect(try await iterator.next()?.seq == 1)
        try journal.close()
        #expect(try await iterator.next() == nil)
    }
}
