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
        var watchers: [(condition: Condition, continuation: CheckedContinuation<Void, Never>)] = []
    }

    /// What a watcher waits for.
    private enum Condition {
        /// At least this many pending waits.
        case count(Int)
        /// A pending wait that ends within this much of the clock's time.
        case dueWithin(Duration)

        func holds(in state: State) -> Bool {
            switch self {
            case .count(let count): state.sleepers.count >= count
            case .dueWithin(let duration): state.sleepers.values.contains { $0.deadline <= state.now + duration }
            }
        }
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
        await wait(until: .count(count))
    }

    /// Returns once a pending wait ends within `duration` of the clock's time — the limit a test is about to pass
    /// has started — so that `advance(by: duration)` reaches it, whatever other waits come and go meanwhile.
    ///
    /// ```swift
    /// await clock.waitForSleeper(dueWithin: .seconds(4))  // the agent's 4 s limit is running
    /// clock.advance(by: .seconds(4))
    /// ```
    public func waitForSleeper(dueWithin duration: Duration) async {
        await wait(until: .dueWithin(duration))
    }

    private func wait(until condition: Condition) async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                if condition.holds(in: state) { return true }
                state.watchers.append((condition, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private static func takeSatisfiedWatchers(_ state: inout State) -> [CheckedContinuation<Void, Never>] {
        let watchers = state.watchers
        let snapshot = state
        let ready = watchers.filter { $0.condition.holds(in: snapshot) }.map(\.continuation)
        state.watchers = watchers.filter { !$0.condition.holds(in: snapshot) }
        return ready
    }
}
