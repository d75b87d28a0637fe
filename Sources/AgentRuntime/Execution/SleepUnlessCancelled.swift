import Dispatch
import Synchronization

/// Waits for `duration` unless the calling task is cancelled first. Returns true when the whole duration passed,
/// false when the wait was cancelled (at once, without throwing).
///
/// For time limits, which almost always lose their race: `Task.sleep` throws `CancellationError` when cancelled
/// and its timer stays scheduled — holding memory — until the deadline it was given, so every run that finished
/// inside its 310 s hard limit would leave a timer behind for the rest of those 310 s (memory that grows with
/// runs per second × limit). Here the timer is a dispatch source that is cancelled, and freed, with the wait.
public func sleepUnlessCancelled(for duration: Duration) async -> Bool {
    if Task.isCancelled { return false }
    let sleep = CancellableSleep()
    return await withTaskCancellationHandler {
        await withCheckedContinuation { continuation in
            sleep.start(continuation, after: duration)
        }
    } onCancel: {
        sleep.finish(elapsed: false)
    }
}

/// One wait of ``sleepUnlessCancelled(for:)``: its timer and its continuation, resumed exactly once.
private final class CancellableSleep: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Bool, Never>?
        var timer: TimerBox?
        /// How the wait ended, once it has.
        var outcome: Bool?
    }

    /// A dispatch timer, handed between threads only under the lock.
    private struct TimerBox: @unchecked Sendable {
        let source: any DispatchSourceTimer
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<Bool, Never>, after duration: Duration) {
        let source = DispatchSource.makeTimerSource(queue: .global())
        let (seconds, attoseconds) = duration.components
        let nanoseconds = max(0, seconds) * 1_000_000_000 + max(0, attoseconds) / 1_000_000_000
        source.schedule(deadline: .now() + .nanoseconds(Int(clamping: nanoseconds)))
        source.setEventHandler { [self] in finish(elapsed: true) }
        let box = TimerBox(source: source)
        let ended = state.withLock { state -> Bool? in
            if let outcome = state.outcome { return outcome }  // cancelled before the wait began
            state.continuation = continuation
            state.timer = box
            return nil
        }
        if let ended {
            // A source must be activated even when it is no longer wanted: dispatch does not release an inactive one.
            box.source.cancel()
            box.source.resume()
            continuation.resume(returning: ended)
        } else {
            box.source.resume()
        }
    }

    func finish(elapsed: Bool) {
        let (continuation, timer) = state.withLock { state -> (CheckedContinuation<Bool, Never>?, TimerBox?) in
            guard state.outcome == nil else { return (nil, nil) }
            state.outcome = elapsed
            defer {
                state.continuation = nil
                state.timer = nil
            }
            return (state.continuation, state.timer)
        }
        timer?.source.cancel()
        continuation?.resume(returning: elapsed)
    }
}
