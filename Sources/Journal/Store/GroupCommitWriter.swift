import DequeModule
import Foundation
import Logging
import Synchronization

/// The journal's one writer. Appenders queue; the writer drains the queue into one storage transaction per batch
/// (``JournalStorage/commit(_:recordedAt:placed:)``) and resumes every appender after that transaction commits.
///
/// Appenders that arrive while a batch commits wait for the next batch, so many concurrent appenders share one
/// commit (and one fsync under `synchronous=FULL`). Each request of a batch is atomic on its own: a request that
/// fails (a version conflict, invalid JSON) writes nothing and fails alone; the others commit. The writer is the
/// same on every backend: what it owns is the queue, ordered answers and the streams lost with a failed batch.
final class GroupCommitWriter: Sendable {
    private struct Pending: Sendable {
        var request: StorageRequest
        var acknowledgingLoss: Bool
        var continuation: Continuation

        func fail(_ error: any Error) {
            switch continuation {
            case .append(let continuation): continuation.resume(throwing: error)
            case .deliveries(let continuation): continuation.resume(throwing: error)
            }
        }

        var stream: String? {
            if case .append(let append) = request { return append.stream }
            return nil
        }
    }

    private enum Continuation: Sendable {
        case append(CheckedContinuation<AppendResult, any Error>)
        case deliveries(CheckedContinuation<Void, any Error>)
    }

    private struct Queue {
        var pending: Deque<Pending> = []
        var draining = false
        var closed = false
    }

    private let queue = Mutex(Queue())
    private let counters = Mutex(WriterStatistics())
    /// The streams whose ordered appends were lost when their batch failed, with the failure: later appends to
    /// them are refused with it until one acknowledges the loss. Used by the writer's batches only.
    private let losses = Mutex([String: JournalError]())
    private let storage: any JournalStorage
    private let clock: @Sendable () -> Date
    private let maximumBatchSize: Int
    private let hub: SubscriptionHub
    private let logger: Logger

    init(storage: any JournalStorage, configuration: JournalConfiguration, hub: SubscriptionHub) {
        self.storage = storage
        self.clock = configuration.clock
        self.maximumBatchSize = max(1, configuration.maximumBatchSize)
        self.hub = hub
        self.logger = configuration.logger
    }

    func append(
        _ events: [NewEvent], to stream: String, expected: ExpectedVersion, rows: [ProjectionRow] = [],
        completion: AppendCompletion = .committed, acknowledgingLoss: Bool = false
    ) async throws -> AppendResult {
        let append = StorageAppend(
            stream: stream, events: events, expected: expected, rows: rows, completion: completion)
        return try await withCheckedThrowingContinuation { continuation in
            enqueue(
                Pending(
                    request: .append(append), acknowledgingLoss: acknowledgingLoss,
                    continuation: .append(continuation)))
        }
    }

    func record(_ deliveries: [Delivery]) async throws {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(
                Pending(
                    request: .deliveries(deliveries), acknowledgingLoss: false,
                    continuation: .deliveries(continuation)))
        }
    }

    /// What the writer has committed so far.
    var statistics: WriterStatistics { counters.withLock { $0 } }

    /// Fails every queued request and refuses new ones.
    func close() {
        let pending = queue.withLock { queue in
            queue.closed = true
            defer { queue.pending.removeAll() }
            return Array(queue.pending)
        }
        for request in pending {
            request.fail(JournalError(code: .closed, message: "the journal was closed"))
        }
    }

    private func enqueue(_ request: Pending) {
        enum Decision { case refuse, queued, startDrain }
        let decision = queue.withLock { queue -> Decision in
            if queue.closed { return .refuse }
            queue.pending.append(request)
            if queue.draining { return .queued }
            queue.draining = true
            return .startDrain
        }
        switch decision {
        case .refuse: request.fail(JournalError(code: .closed, message: "the journal is closed"))
        case .queued: break
        case .startDrain: Task { await self.drain() }
        }
    }

    /// Commits batches until the queue is empty.
    private func drain() async {
        while true {
            let batch = queue.withLock { queue -> [Pending] in
                var batch: [Pending] = []
                while batch.count < maximumBatchSize, let request = queue.pending.popFirst() {
                    batch.append(request)
                }
                if batch.isEmpty { queue.draining = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            await commit(batch)
        }
    }

    private func commit(_ candidates: [Pending]) async {
        // Appends to a stream whose ordered append was lost are refused with the loss (an acknowledging append
        // goes through; the loss is cleared once its batch has committed).
        let (batch, refused) = losses.withLock { losses -> ([Pending], [(Pending, JournalError)]) in
            var batch: [Pending] = []
            var refused: [(Pending, JournalError)] = []
            for pending in candidates {
                if !pending.acknowledgingLoss, let stream = pending.stream, let loss = losses[stream] {
                    refused.append((pending, loss))
                } else {
                    batch.append(pending)
                }
            }
            return (batch, refused)
        }
        for (pending, loss) in refused { pending.fail(loss) }
        guard !batch.isEmpty else { return }

        let answered = Mutex(Set<Int>())
        let outcomes: [StorageOutcome]
        do {
            outcomes = try await storage.commit(
                batch.map(\.request), recordedAt: Timestamp.string(from: clock())
            ) { index, result in
                // Its place in the order is taken: answer now, before the commit.
                guard case .append(let continuation) = batch[index].continuation else { return }
                answered.withLock { _ = $0.insert(index) }
                continuation.resume(returning: result)
            }
        } catch {
            fail(batch, answered: answered.withLock { $0 }, with: JournalError.wrap(error, "the journal could not commit"))
            return
        }
        let answeredIndexes = answered.withLock { $0 }
        var published: [RecordedEvent] = []
        var acknowledged: [String] = []
        for (pending, outcome) in zip(batch, outcomes) {
            guard case .appended(let result) = outcome else { continue }
            if !result.wasAlreadyRecorded { published.append(contentsOf: result.events) }
            if pending.acknowledgingLoss, let stream = pending.stream { acknowledged.append(stream) }
        }
        if !acknowledged.isEmpty {
            losses.withLock { losses in
                for stream in acknowledged { losses[stream] = nil }
            }
        }
        counters.withLock { counters in
            counters.commits += 1
            counters.requests += batch.count
            counters.events += published.count
            counters.largestBatch = max(counters.largestBatch, batch.count)
        }
        if let last = published.last {
            if storage.isShared { storage.didCommit(through: last.seq) } else { hub.publish(published) }
        }
        for (index, (pending, outcome)) in zip(batch, outcomes).enumerated() where !answeredIndexes.contains(index) {
            switch (outcome, pending.continuation) {
            case (.appended(let result), .append(let continuation)): continuation.resume(returning: result)
            case (.delivered, .deliveries(let continuation)): continuation.resume()
            case (.failed(let error), _): pending.fail(error)
            case (.appended, .deliveries), (.delivered, .append):
                pending.fail(JournalError(code: .storage, message: "the storage answered a request with another's outcome"))
            }
        }
    }

    /// A batch that did not commit: the requests not answered yet fail; the streams of those answered (ordered
    /// appends) are lost, and refuse later appends until one acknowledges it.
    private func fail(_ batch: [Pending], answered: Set<Int>, with failure: JournalError) {
        logger.error("group commit failed", metadata: ["error": "\(failure)", "batch.size": "\(batch.count)"])
        let lost = answered.compactMap { batch[$0].stream }
        if !lost.isEmpty {
            losses.withLock { losses in
                for stream in lost {
                    losses[stream] = JournalError(
                        code: failure.code,
                        message: "an ordered append to \(stream) was lost when its batch failed: \(failure.message)",
                        cause: failure)
                }
            }
        }
        for (index, pending) in batch.enumerated() where !answered.contains(index) {
            pending.fail(failure)
        }
    }
}
