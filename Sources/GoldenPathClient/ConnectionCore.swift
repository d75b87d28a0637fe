import HummingbirdWSClient
import Synchronization

/// The state one connection shares between its socket handler (which opens it, delivers frames and ends it) and
/// its callers (who send, read frames and wait). Every wait wakes on each change and re-checks; none polls.
final class ConnectionCore: Sendable {
    /// How the socket ended.
    enum Ending: Sendable {
        /// The connection closed, with the server's close frame if it sent one.
        case closed(ConnectionClosure)
        /// The client failed (connect error, protocol error, …).
        case failed(any Error)
    }

    struct State {
        var writer: WebSocketOutboundWriter?
        var opened = false
        var ending: Ending?
        /// Frames received and not yet read; `head` is the next to read.
        var buffer: [ServerFrame] = []
        var head = 0
        var waiters: [UInt64: @Sendable () -> Void] = [:]
        var cancelled: Set<UInt64> = []
        var nextWaiter: UInt64 = 0

        /// Removes and returns the next unread frame, compacting the buffer now and then.
        mutating func popFrame() -> ServerFrame? {
            guard head < buffer.count else { return nil }
            let frame = buffer[head]
            head += 1
            if head == buffer.count {
                buffer.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 1_024 && head * 2 >= buffer.count {
                buffer.removeFirst(head)
                head = 0
            }
            return frame
        }

        mutating func takeWaiters() -> [@Sendable () -> Void] {
            let all = Array(waiters.values)
            waiters.removeAll()
            return all
        }
    }

    private let state = Mutex(State())

    // MARK: - The socket handler's side

    /// The socket is open: frames can be sent.
    func opened(writer: WebSocketOutboundWriter) {
        change { state in
            state.writer = writer
            state.opened = true
        }
    }

    /// A frame arrived.
    func received(_ frame: ServerFrame) {
        change { $0.buffer.append(frame) }
    }

    /// The socket ended; frames already received can still be read.
    func ended(_ ending: Ending) {
        change { state in
            state.ending = ending
            state.writer = nil
        }
    }

    private func change(_ body: (inout State) -> Void) {
        let waiters = state.withLock { state in
            body(&state)
            return state.takeWaiters()
        }
        waiters.forEach { $0() }
    }

    // MARK: - The callers' side

    /// The writer while the connection is open.
    var writer: WebSocketOutboundWriter? { state.withLock { $0.ending == nil ? $0.writer : nil } }

    /// How the connection ended; nil while it has not.
    var ending: Ending? { state.withLock { $0.ending } }

    /// The next unread frame, waiting for one; nil once the connection has closed and every frame was read.
    /// - Throws: the client's error when the connection failed (after every frame received was read), or
    ///   `CancellationError`.
    func next() async throws -> ServerFrame? {
        let next: Result<ServerFrame?, any Error> = try await wait { state in
            if let frame = state.popFrame() { return .success(frame) }
            switch state.ending {
            case nil: return nil
            case .closed?: return .success(nil)
            case .failed(let error)?: return .failure(error)
            }
        }
        return try next.get()
    }

    /// Waits until the connection opens (true) or ends without opening (false).
    /// - Throws: `CancellationError`.
    func awaitOpenOrEnd() async throws -> Bool {
        try await wait { state in
            if state.opened { return true }
            return state.ending == nil ? nil : false
        }
    }

    /// Waits until the connection has ended.
    /// - Throws: `CancellationError`.
    func awaitEnding() async throws -> Ending {
        try await wait { $0.ending }
    }

    /// Runs `step` under the lock now and after every change until it returns a value.
    /// - Throws: `CancellationError` when the task is cancelled first.
    private func wait<T: Sendable>(_ step: @escaping @Sendable (inout State) -> T?) async throws -> T {
        while true {
            try Task.checkCancellation()
            let id = state.withLock { state in
                state.nextWaiter += 1
                return state.nextWaiter
            }
            let value: T? = await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
                    let immediate = state.withLock { state -> T?? in
                        if let value = step(&state) { return .some(value) }
                        if state.cancelled.contains(id) { return .some(nil) }
                        state.waiters[id] = { continuation.resume(returning: nil) }
                        return nil
                    }
                    if let immediate { continuation.resume(returning: immediate) }
                }
            } onCancel: {
                let waiter = state.withLock { state in
                    state.cancelled.insert(id)
                    return state.waiters.removeValue(forKey: id)
                }
                waiter?()
            }
            state.withLock { _ = $0.cancelled.remove(id) }
            if let value { return value }
        }
    }
}
