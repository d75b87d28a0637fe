import Dispatch
import Foundation
import Journal
import Synchronization
import Testing

/// Holds the writer inside `COMMIT` (after the batch's events are written) until released, or fails it there.
final class CommitGate: StorageFaultInjector {
    private let state = Mutex<(holding: Bool, failing: Bool)>((false, false))
    private let released = DispatchSemaphore(value: 0)
    /// Yields each time the writer is held inside a commit.
    let held: AsyncStream<Void>
    private let holding: AsyncStream<Void>.Continuation

    init() {
        (held, holding) = AsyncStream.makeStream()
    }

    func hold() { state.withLock { $0.holding = true } }
    func failNext() { state.withLock { $0.failing = true } }

    /// Lets the held commit go on (and stops holding later ones).
    func release() {
        state.withLock { $0.holding = false }
        released.signal()
    }

    func beforeCommit(batchSize: Int) throws {}

    func atCommit(batchSize: Int) throws {
        let (holding, failing) = state.withLock { state in
            defer { state.failing = false }
            return (state.holding, state.failing)
        }
        if holding {
            self.holding.yield()
            released.wait()  // the writer's own thread: a test's stand-in for a slow fsync
        }
        if failing { throw JournalError(code: .ioError, message: "injected I/O error at commit") }
    }
}

// A time limit: an ordered append that waited for the held commit would hang, not fail.
@Suite("Ordered appends", .timeLimit(.minutes(5)))
struct OrderedAppendTests {
    @Test("an ordered append returns with its seq while its commit is held; nobody sees it before the commit")
    func returnsBeforeTheCommit() async throws {
        let gate = CommitGate()
        try await withJournal({ $0.faultInjector = gate }) { journal, _ in
            try await journal.append(event(id: "first"), to: "run:a")
            gate.hold()
            let ordered = try await journal.append(event(id: "second"), to: "run:a", completion: .ordered)
            // Returned although the commit has not happened: the writer is still held inside it.
            #expect(ordered.seq == 2)
            #expect(ordered.streamVersion == 2)
            #expect(try await journal.events().map(\.eventID) == ["first"])
            var live = journal.subscribe(after: 1).makeAsyncIterator()
            gate.release()
            #expect(try await live.next()?.eventID == "second")
            #expect(try await journal.events().map(\.seq) == [1, 2])
            #expect(try await journal.verify().failures.isEmpty)
        }
    }

    @Test("a committed append is not answered while its commit is held")
    func committedWaits() async throws {
        let gate = CommitGate()
        try await withJournal({ $0.faultInjector = gate }) { journal, _ in
            gate.hold()
            let returned = Mutex(false)
            let append = Task {
                let recorded = try await journal.append(event(id: "held"), to: "s")
                returned.withLock { $0 = true }
                return recorded.seq
            }
            var held = gate.held.makeAsyncIterator()
            await held.next()
            // The writer is inside the COMMIT of "held": its appender has not been answered.
            #expect(!returned.withLock { $0 })
            gate.release()
            let seq = try await append.value
            #expect(seq == 1)
        }
    }

    @Test("a lost ordered append: later appends to its stream fail with the loss, others reuse the seq, an acknowledging append clears it")
    func lostOrderedAppend() async throws {
        let gate = CommitGate()
        try await withJournal({ $0.faultInjector = gate }) { journal, _ in
            try await journal.append(event(id: "kept"), to: "run:a")
            gate.failNext()
            let lost = try await journal.append(event(id: "lost"), to: "run:a", completion: .ordered)
            #expect(lost.seq == 2)
            // The batch failed after the append returned: the stream refuses what follows, ordered or not.
            await #expect {
                try await journal.append(event(id: "next"), to: "run:a", completion: .ordered)
            } throws: { error in
                (error as? JournalError)?.code == .ioError
            }
            await #expect {
                try await journal.append(event(id: "next-committed"), to: "run:a")
            } throws: { error in
                (error as? JournalError)?.code == .ioError
            }
            // Another stream is not affected, and seq 2 was never committed: it goes to the next event.
            #expect(try await journal.append(event(id: "other"), to: "run:b").seq == 2)
            // The run's owner journals its end knowing what was lost; the stream works again after.
            let end = try await journal.append(event(id: "end"), to: "run:a", acknowledgingLoss: true)
            #expect(end.seq == 3 && end.streamVersion == 2)
            #expect(try await journal.append(event(id: "again"), to: "run:a", completion: .ordered).seq == 4)
            try await journal.append(event(id: "fence"), to: "fence")  // committed: "again" has committed before it
            #expect(try await journal.stream("run:a").map(\.eventID) == ["kept", "end", "again"])
            #expect(try await journal.verify().failures.isEmpty)
        }
    }

    @Test("ordered appends from 50 concurrent streams keep the order gapless and each stream's versions in order", arguments: Backend.available)
    func concurrentOrderedAppends(backend: Backend) async throws {
        try await withJournal(backend) { journal, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for stream in 0..<50 {
                    group.addTask {
                        for n in 0..<20 {
                            try await journal.append(
                                event(id: "s\(stream)-\(n)"), to: "run:\(stream)", completion: .ordered)
                        }
                    }
                }
                try await group.waitForAll()
            }
            // The last of them may still be committing: a committed append behind them waits for them all.
            try await journal.append(event(id: "fence"), to: "fence")
            let events = try await journal.events()
            #expect(events.map(\.seq) == Array(1...1_001))
            for stream in 0..<50 {
                let versions = events.filter { $0.stream == "run:\(stream)" }
                #expect(versions.map(\.eventID) == (0..<20).map { "s\(stream)-\($0)" })
                #expect(versions.map(\.streamVersion) == Array(1...20))
            }
            #expect(try await journal.verify().failures.isEmpty)
        }
    }
}
