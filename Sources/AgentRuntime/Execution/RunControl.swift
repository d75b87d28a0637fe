/// The stop signal of one run: set once, by `stop_agent` or by shutdown, and awaited by the run's executor.
final class RunControl: Sendable {
    /// Why a run is stopped from outside.
    enum StopReason: Sendable, Hashable {
        /// Its user asked (`stop_agent`): the run ends `run_cancelled`.
        case cancelledByUser
        /// The server is shutting down: the run ends `run_failed {INTERRUPTED}`.
        case interrupted
    }

    /// Yields the first stop reason, then finishes. Only the run's executor iterates it.
    let signals: AsyncStream<StopReason>
    private let continuation: AsyncStream<StopReason>.Continuation

    init() {
        (signals, continuation) = AsyncStream.makeStream(of: StopReason.self, bufferingPolicy: .bufferingOldest(1))
    }

    /// Signals the run to stop; later signals are ignored.
    func stop(_ reason: StopReason) {
        continuation.yield(reason)
        continuation.finish()
    }
}
