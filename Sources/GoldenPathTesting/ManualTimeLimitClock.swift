import AgentRuntime
import Synchronization

/// A ``TimeLimitClock`` that moves only when a test says so: agent, tool and run time limits are tested without
/// waiting real seconds.
///
/// ```swift
/// let clock = ManualTimeLimitClock()
/// var agents = AgentsConfiguration()
/// agents.timeLimitClock = clock
/// agents.toolTimeout = .seconds(10)
/// // … start a run whose tool hangs, wait until the tool has started …
/// await clock.waitForSleepers(atLeast: 1)
/// clock.advance(by: .seconds(10))   // the tool's limit passes now
/// ```
public final class ManualTimeLimitClock: TimeLimitClock {
    private struct Sleeper {
        var deadline: Duration
        var continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var now: Duration = .zero
        var nextID = 0
        var sleepers: [Int: Sleeper] = [:]
        /// Waits cancelled before they were registered.
        var cancelled: Set<Int> = []
        var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())

    /// Creates a clock at time zero.
    public init() {}

    /// How long the clock has been advanced in all.
    public var now: Duration { state.withLock { $0.now } }

    /// The waits not yet elapsed or cancelled.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Waits until `duration` has been advanced past, or the task is cancelled (false, at once).
    public func sleep(for duration: Duration) async -> Bool {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let (resume, watchers) = state.withLock { state -> (Bool?, [CheckedContinuation<Void, Never>]) in
                    if state.cancelled.remove(id) != nil { return (false, []) }
                    if duration <= .zero { return (true, []) }
                    state.sleepers[id] = Sleeper(deadline: state.now + duration, continuation: continuation)
                    return (nil, Self.takeSatisfiedWatchers(&state))
                }
                watchers.forEach { $0.resume() }
                if let resume { continuation.resume(returning: resume) }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let sleeper = state.sleepers.removeValue(forKey: id) else {
                    state.cancelled.insert(id)
                    return nil
                }
                return sleeper
            }
            sleeper?.continuation.resume(returning: false)
        }
    }

    /// Moves the clock forward; every wait whose deadline has come ends (true).
    public func advance(by duration: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.now += duration
            let due = state.sleepers.filter { $0.value.deadline <= state.now }
            for id in due.keys { state.sleepers[id] = nil }
            return Array(due.values)
        }
        due.forEach { $0.continuation.resume(returning: true) }
    }

    /// Returns once at least `count` waits are pending (a time limit has started), so that ``advance(by:)``
    /// reaches them.
    public func waitForSleepers(atLeast count: Int) async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                if state.sleepers.count >= count { return true }
                state.watchers.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private static func takeSatisfiedWatchers(_ state: inout State) -> [CheckedContinuation<Void, Never>] {
        let count = state.sleepers.count
        let ready = state.watchers.filter { $0.count <= count }.map(\.continuation)
        state.watchers.removeAll { $0.count <= count }
        return ready
    }
}
