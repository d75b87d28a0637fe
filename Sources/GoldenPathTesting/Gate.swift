import Foundation
import Synchronization

/// A one-way gate for holding work mid-flight without sleeping: every ``wait()`` suspends until ``open()`` is
/// called (or the waiting task is cancelled); once open, it stays open.
///
/// ```swift
/// let gate = Gate()
/// // in a tool or model stand-in:  try await gate.wait()
/// // in the test, once it has observed what it needs:  gate.open()
/// ```
public final class Gate: Sendable {
    private struct State {
        var open = false
        var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
        var cancelled: Set<UUID> = []
    }

    private let state = Mutex(State())

    /// Creates a closed gate.
    public init() {}

    /// Whether ``open()`` has been called.
    public var isOpen: Bool { state.withLock { $0.open } }

    /// Opens the gate: every waiter goes on, and later ``wait()`` calls return at once.
    public func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        waiters.forEach { $0.resume() }
    }

    /// Waits until the gate is open.
    /// - Throws: `CancellationError` when the waiting task is cancelled first.
    public func wait() async throws {
        let id = UUID()
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
        try Task.checkCancellation()
    }
}
