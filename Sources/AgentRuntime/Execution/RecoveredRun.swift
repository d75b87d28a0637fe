/// A run that start-up recovery found without a terminal event, and what it decided
/// (``RunCoordinator/recoverInterruptedRuns()``).
public struct RecoveredRun: Sendable, Hashable {
    /// The run.
    public var runID: String
    /// `resumed` (it is executing again, from its last completed step) or `interrupted` (it has ended
    /// `run_failed {INTERRUPTED}`).
    public var decision: RunRecovery.Decision

    /// Creates a value.
    public init(runID: String, decision: RunRecovery.Decision) {
        self.runID = runID
        self.decision = decision
    }
}
