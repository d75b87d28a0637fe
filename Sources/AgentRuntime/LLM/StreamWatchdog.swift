import Synchronization

/// A deadline that a streamed answer pushes forward each time a piece arrives: the time limits of a stream are per
/// wait (to the first byte, then between chunks), not for the whole answer.
///
/// ``run(within:extendingBy:_:)`` races the operation against one timer task that sleeps until the current deadline, and
/// sleeps again when the deadline has moved meanwhile; no task is created per chunk.
final class StreamWatchdog: Sendable {
    /// The deadline passed before the operation returned.
    struct Expired: Error {}

    private let clock: any TimeLimitClock
    /// The deadline, a reading of `clock`.
    private let deadline: Mutex<Duration>

    private init(clock: any TimeLimitClock, deadline: Duration) {
        self.clock = clock
        self.deadline = Mutex(deadline)
    }

    /// Moves the deadline to `duration` from now (at most the `longestExtension` given to
    /// ``run(within:extendingBy:_:)``).
    func extend(by duration: Duration) {
        let next = clock.now + duration
        deadline.withLock { $0 = next }
    }

    /// Runs `operation` with a watchdog on `clock` whose first deadline is `first` from now; the operation extends
    /// it by at most `longestExtension` at a time.
    ///
    /// The timer sleeps at most `longestExtension` at a time, so that a deadline moved earlier than the first one (a
    /// chunk limit shorter than the first-byte limit) is never noticed late.
    ///
    /// When the deadline passes, the operation's task is cancelled (a streaming HTTP body closes its connection)
    /// and ``Expired`` is thrown.
    /// - Throws: ``Expired``, or what `operation` throws.
    static func run<Value: Sendable>(
        within first: Duration, extendingBy longestExtension: Duration, clock: any TimeLimitClock,
        _ operation: @escaping @Sendable (StreamWatchdog) async throws -> Value
    ) async throws -> Value {
        let watchdog = StreamWatchdog(clock: clock, deadline: clock.now + first)
        return try await withThrowingTaskGroup(of: Value?.self) { group in
            group.addTask { try await operation(watchdog) }
            group.addTask {
                while true {
                    let remaining = watchdog.deadline.withLock { $0 } - clock.now
                    if remaining <= .zero { throw Expired() }
                    // Cancelled: the operation has returned or thrown, and its result decides.
                    guard await clock.sleep(for: min(remaining, longestExtension)) else { return nil }
                }
            }
            defer { group.cancelAll() }
            while let next = try await group.next() {
                if let value = next { return value }
            }
            throw Expired()  // unreachable: the operation returns a value or throws
        }
    }
}
