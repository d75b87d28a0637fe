import Synchronization

/// A one-way latch: ``wait()`` suspends until ``open()`` is called (or the waiting task is cancelled); once open it
/// stays open. The shutdown drain of ``RunRegistry`` and GoldenPathTesting's `Gate` both wait on one.
package final class Latch: Sendable {
    private struct State {
        var open = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
        var cancelled: Set<Int> = []
    }

    private let state = Mutex(State())

    /// Creates a closed latch.
    package init() {}

    /// Whether ``open()`` has been called.
    package var isOpen: Bool { state.withLock { $0.open } }

    /// Opens the latch: every waiter goes on, and later ``wait()`` calls return at once.
    package func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        waiters.forEach { $0.resume() }
    }

    /// Returns once the latch is open, or as soon as the calling task is cancelled.
    package func wait() async {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let proceed = state.withLock { state -> Bool in
                    if state.open || state.cancelled.contains(id) { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if proceed { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                state.cancelled.insert(id)
                return state.waiters.removeValue(forKey: id)
            }
            waiter?.resume()
        }
        state.withLock { _ = $0.cancelled.remove(id) }
    }

    /// Waits until the latch is open, at most `timeout` (real time): whether it opened.
    package func wait(within timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await self.wait()
                return self.isOpen
            }
            group.addTask {
                _ = await sleepUnlessCancelled(for: timeout)
                return false
            }
            defer { group.cancelAll() }
            return await group.next() ?? false
        }
    }
}
