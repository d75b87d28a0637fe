import Synchronization

/// Hands committed events to the live subscribers. Called by the writer after each commit; never blocks on a
/// consumer.
final class SubscriptionHub: Sendable {
    private struct State {
        var nextID = 0
        var subscribers: [Int: SubscriberBuffer] = [:]
    }

    private let state = Mutex(State())

    /// The number of live subscribers.
    var count: Int { state.withLock { $0.subscribers.count } }

    func register(filter: EventFilter, options: SubscriptionOptions) -> SubscriberBuffer {
        state.withLock { state in
            state.nextID += 1
            let buffer = SubscriberBuffer(id: state.nextID, filter: filter, options: options)
            state.subscribers[buffer.id] = buffer
            return buffer
        }
    }

    func unregister(_ buffer: SubscriberBuffer) {
        _ = state.withLock { $0.subscribers.removeValue(forKey: buffer.id) }
        buffer.finish()
    }

    /// Offers committed events, in `seq` order, to every subscriber.
    func publish(_ events: [RecordedEvent]) {
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for subscriber in subscribers {
            subscriber.offer(events)
        }
    }

    /// Ends every subscription (the journal is closing).
    func finishAll() {
        let subscribers = state.withLock { state in
            defer { state.subscribers.removeAll() }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }
}
