import AgentRuntime
import Foundation
import Synchronization

extension TestWebSocketClient {
    func received(_ frame: Frame) {
        let waiters = state.withLock { state in
            state.frames.append(frame)
            return state.takeWaiters()
        }
        waiters.forEach { $0.resume(returning: false) }
    }

    func finished(code: UInt16?, error: String?) {
        let waiters = state.withLock { state in
            state.closed = true
            state.closeCode = code
            state.closeError = error
            return state.takeWaiters()
        }
        waiters.forEach { $0.resume(returning: false) }
    }

    /// Waits until `condition` holds, re-checking after every change; fails after `timeout`.
    func waitUntil(
        _ what: String, timeout: Duration, _ condition: @escaping @Sendable (State) -> Bool
    ) async throws {
        let satisfied = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    if await self.waitForChange(unless: condition) { return true }
                }
                return false
            }
            group.addTask {
                // A deadline for a failing test, never a wait for a result.
                _ = await sleepUnlessCancelled(for: timeout)
                return false
            }
            let first = try await group.next() ?? false
            group.cancelAll()
            return first
        }
        guard satisfied else {
            throw WaitError(description: "timed out after \(timeout) waiting for \(what); got \(summary())")
        }
    }

    /// Returns true at once when `condition` holds; otherwise waits for the next change and returns false.
    private func waitForChange(unless condition: @escaping @Sendable (State) -> Bool) async -> Bool {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        let holds = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let immediate = state.withLock { state -> Bool? in
                    if condition(state) { return true }
                    if state.cancelled.contains(id) { return false }
                    state.waiters[id] = continuation
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                state.cancelled.insert(id)
                return state.waiters.removeValue(forKey: id)
            }
            waiter?.resume(returning: false)
        }
        state.withLock { _ = $0.cancelled.remove(id) }
        return holds
    }
}

extension TestWebSocketClient.State {
    mutating func takeWaiters() -> [CheckedContinuation<Bool, Never>] {
        let all = Array(waiters.values)
        waiters.removeAll()
        return all
    }
}
