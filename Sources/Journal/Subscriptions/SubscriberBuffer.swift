import DequeModule
import Synchronization

/// One subscriber's bounded buffer of live events, shared by the writer (which offers) and the consumer.
///
/// The buffer starts in the "read from disk" state: it captures nothing until the consumer takes the
/// `.readDisk` step, which switches capture on *before* the consumer reads the log. Every event committed
/// before that moment is on disk; every event published after it is in the buffer; the consumer drops the
/// overlap by sequence number. An overflow returns the buffer to the first state, so catch-up and recovery
/// from overflow are one mechanism, and the consumer never sees a gap or a duplicate.
final class SubscriberBuffer: Sendable {
    enum Step {
        case deliver(RecordedEvent)
        case readDisk(afterOverflow: Bool)
        case wait
        case finished
    }

    private struct State {
        var buffer: Deque<RecordedEvent> = []
        var needsDiskRead = true
        var overflowed = false
        var finished = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    let id: Int
    let filter: EventFilter
    let options: SubscriptionOptions
    private let state = Mutex(State())

    init(id: Int, filter: EventFilter, options: SubscriptionOptions) {
        self.id = id
        self.filter = filter
        self.options = options
    }

    /// Called by the writer after a commit.
    func offer(_ events: [RecordedEvent]) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.finished, !state.needsDiskRead else { return nil }
            for event in events where filter.matches(event) {
                state.buffer.append(event)
            }
            if state.buffer.count > options.bufferLimit {
                state.buffer.removeAll()
                state.needsDiskRead = true
                state.overflowed = true
            }
            guard !state.buffer.isEmpty || state.needsDiskRead else { return nil }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// The consumer's next step, given the last sequence number it has seen.
    func nextStep(after cursor: Int64) -> Step {
        state.withLock { state in
            if state.finished { return .finished }
            if state.needsDiskRead {
                state.needsDiskRead = false
                state.buffer.removeAll()
                defer { state.overflowed = false }
                return .readDisk(afterOverflow: state.overflowed)
            }
            while let event = state.buffer.popFirst() {
                if event.seq > cursor { return .deliver(event) }
            }
            return .wait
        }
    }

    /// Suspends until an event is offered, an overflow happens, or the subscription ends.
    func waitForEvents() async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                if state.finished || state.needsDiskRead || !state.buffer.isEmpty { return true }
                state.waiter = continuation
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Ends the subscription and wakes its consumer.
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.finished = true
            state.buffer.removeAll()
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// The number of events waiting in the buffer.
    var bufferedCount: Int { state.withLock { $0.buffer.count } }
}
