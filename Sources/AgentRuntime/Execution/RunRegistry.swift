import Synchronization

/// The runs a coordinator has accepted and not yet ended, by run id: the per-user run limit, stop requests and
/// shutdown work from it.
final class RunRegistry: Sendable {
    private struct Entry {
        var userID: String
        var control: RunControl
        var job: RunJob?
        var started = false
        /// The run's outcome is decided and its terminal event is being written.
        var ending = false
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var closed = false
    }

    /// Why a reservation was refused.
    enum Refusal: Error {
        case tooManyRuns
        case closed
    }

    /// What a stop request found.
    enum StopResult {
        case signalled
        case ending
        case notHere
        case foreign
    }

    private let state = Mutex(State())
    /// Opens once the registry is closed and empty: from then on it stays empty.
    private let drained = Latch()

    /// Reserves a place for a new run of `userID`, counting it toward the user's limit from now on.
    func reserve(runID: String, userID: String, control: RunControl, limit: Int) throws(Refusal) {
        try state.withLock { (state: inout State) throws(Refusal) in
            if state.closed { throw .closed }
            let open = state.entries.values.count { $0.userID == userID && !$0.ending }
            if open >= limit { throw .tooManyRuns }
            state.entries[runID] = Entry(userID: userID, control: control)
        }
    }

    /// Attaches the job once the run's first events are recorded.
    func attach(_ job: RunJob) {
        state.withLock { $0.entries[job.context.runID]?.job = job }
    }

    /// Notes that the executor took the run.
    func markStarted(_ runID: String) {
        state.withLock { $0.entries[runID]?.started = true }
    }

    /// Notes that the run's outcome is decided: it no longer counts toward its user's limit, and stopping it is
    /// too late. Called just before its terminal event is written, so a user who sees that event can start
    /// another run at once.
    func markEnding(_ runID: String) {
        state.withLock { $0.entries[runID]?.ending = true }
    }

    /// Forgets a run (it ended, or its first append failed).
    func release(_ runID: String) {
        let isDrained = state.withLock { state in
            state.entries.removeValue(forKey: runID)
            return state.closed && state.entries.isEmpty
        }
        if isDrained { drained.open() }
    }

    /// Returns once the registry is closed (``close()``) and no run is registered, or when the calling task is
    /// cancelled.
    func waitUntilDrained() async {
        await drained.wait()
    }

    /// Signals the run to stop if it is here and `userID`'s.
    func requestStop(runID: String, userID: String) -> StopResult {
        let control = state.withLock { state -> Result<RunControl, StopFailure> in
            guard let entry = state.entries[runID] else { return .failure(.notHere) }
            guard entry.userID == userID else { return .failure(.foreign) }
            guard !entry.ending else { return .failure(.ending) }
            return .success(entry.control)
        }
        switch control {
        case .success(let control):
            control.stop(.cancelledByUser)
            return .signalled
        case .failure(.notHere): return .notHere
        case .failure(.foreign): return .foreign
        case .failure(.ending): return .ending
        }
    }

    private enum StopFailure: Error {
        case ending
        case notHere
        case foreign
    }

    /// True while the run is accepted and not ended.
    func contains(_ runID: String) -> Bool {
        state.withLock { $0.entries[runID] != nil }
    }

    /// The number of runs accepted whose outcome is not decided yet.
    var count: Int { state.withLock { $0.entries.values.count { !$0.ending } } }

    /// The number of open runs of one user.
    func count(ofUser userID: String) -> Int {
        state.withLock { $0.entries.values.count { $0.userID == userID && !$0.ending } }
    }

    /// Refuses new runs from now on.
    /// True once ``close()`` was called (the coordinator is shutting down).
    var isClosed: Bool { state.withLock { $0.closed } }

    func close() {
        let isDrained = state.withLock { state in
            state.closed = true
            return state.entries.isEmpty
        }
        if isDrained { drained.open() }
    }

    /// Signals every open run to stop as interrupted.
    func interruptAll() {
        let controls = state.withLock { $0.entries.values.map(\.control) }
        for control in controls { control.stop(.interrupted) }
    }

    /// The jobs recorded but never taken by the executor (left when it stopped).
    func unstartedJobs() -> [RunJob] {
        state.withLock { $0.entries.values.filter { !$0.started }.compactMap(\.job) }
    }
}
