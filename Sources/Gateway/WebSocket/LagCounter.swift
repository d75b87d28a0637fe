import Synchronization

/// How many subscription events wait in a connection's outbound queue: past the limit the connection is
/// too slow and is closed (1013); it resumes from the last sequence it saw.
final class LagCounter: Sendable {
    private let queued = Atomic<Int>(0)

    /// Counts one event queued; returns the new count.
    func increment() -> Int { queued.add(1, ordering: .relaxed).newValue }

    /// Counts one event taken from the queue.
    func decrement() { queued.subtract(1, ordering: .relaxed) }
}
