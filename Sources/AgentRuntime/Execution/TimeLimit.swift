/// Runs `body` with a time limit: its result, or nil when the limit passed first (the body is then cancelled
/// and awaited). Errors of the body are rethrown; cancellation of the caller throws `CancellationError`.
func withTimeLimit<T: Sendable>(
    _ limit: Duration, clock: any TimeLimitClock = DispatchTimeLimitClock(),
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T? {
    try await withThrowingTaskGroup(of: TimeLimitOutcome<T>.self) { group in
        group.addTask { .finished(try await body()) }
        group.addTask { await clock.sleep(for: limit) ? .timedOut : .cancelled }
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
    public var milliseconds: Int {
        Int(components.seconds * 1_000 + components.attoseconds / 1_000_000_000_000_000)
    }
}

/// The clock time limits are measured on: agent, tool and run limits wait on it. The default waits on a dispatch
/// timer; tests inject one they advance by hand (GoldenPathTesting's `ManualTimeLimitClock`), so that a time
/// limit is tested without waiting real seconds.
public protocol TimeLimitClock: Sendable {
    /// The clock's reading: the time since an origin of the clock's choosing (only differences between two
    /// readings of one clock mean anything). A deadline that moves — a streamed answer's limit between chunks — is
    /// measured on it.
    var now: Duration { get }

    /// Waits `duration` unless the calling task is cancelled first: true when the whole duration passed, false
    /// at once when cancelled (never throws).
    func sleep(for duration: Duration) async -> Bool
}

/// Real time, on a dispatch timer that is cancelled and freed with the wait (``sleepUnlessCancelled(for:)``).
public struct DispatchTimeLimitClock: TimeLimitClock {
    private let origin = ContinuousClock.now

    /// Creates the clock.
    public init() {}

    /// The time since the clock was created, on the continuous clock.
    public var now: Duration { origin.duration(to: .now) }

    /// Waits on a dispatch timer.
    public func sleep(for duration: Duration) async -> Bool {
        await sleepUnlessCancelled(for: duration)
    }
}
