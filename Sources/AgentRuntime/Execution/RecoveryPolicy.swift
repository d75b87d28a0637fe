/// What start-up recovery does with a run that an earlier process left without a terminal event.
public enum RecoveryPolicy: String, Sendable, Hashable, CaseIterable {
    /// Re-execute the run from its start with today's code, feeding back its journaled LLM answers and tool
    /// outputs instead of recomputing them, check that every re-produced event equals the journaled one, and carry
    /// on live from the first step that has no journaled result. A run that cannot be resumed (it diverges, its
    /// events do not decode, it was resumed too often) is ended `run_failed {INTERRUPTED}`. The default.
    case resume
    /// End every such run `run_failed {INTERRUPTED}` at once.
    case interrupt
}
