import Synchronization

/// The per-run folds of a replay, filled from the journal's `forEachEvent` body (a `@Sendable` closure).
final class FoldAccumulator: Sendable {
    private let states = Mutex<[String: RunState]>([:])

    /// Folds one event into its stream's state.
    func apply(stream: String, type: String, payload: RunPayload) {
        states.withLock { $0[stream, default: RunState()].apply(type: type, payload: payload) }
    }

    /// The states folded so far, by stream.
    var snapshot: [String: RunState] { states.withLock { $0 } }
}
