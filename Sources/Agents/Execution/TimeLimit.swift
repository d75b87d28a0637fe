/// Runs `body` with a time limit: its result, or nil when the limit passed first (the body is then cancelled
/// and awaited). Errors of the body are rethrown; cancellation of the caller throws `CancellationError`.
func withTimeLimit<T: Sendable>(
    _ limit: Duration, _ body: @escaping @Sendable () async throws -> T
) async throws -> T? {
    try await withThrowingTaskGroup(of: TimeLimitOutcome<T>.self) { group in
        group.addTask { .finished(try await body()) }
        group.addTask { await sleepUnlessCancelled(for: limit) ? .timedOut : .cancelled }
        defer { group.cancelAll() }
        while let next = try await group.next() {
            switch next {
            case .finished(let value): return value
            case .timedOut:
                try Task.checkCancellation()
                return nil
            case .cancelled:
                continue  // the caller was cancelled: the body's answer (or its error) decides
            }
        }
        return nil
    }
}

/// The first result of a time-limited body's task group.
private enum TimeLimitOutcome<T: Sendable>: Sendable {
    case finished(T)
    case timedOut
    /// The limit's wait was cancelled before it passed.
    case cancelled
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int {
        Int(components.seconds * 1_000 + components.attoseconds / 1_000_000_000_000_000)
    }
}
