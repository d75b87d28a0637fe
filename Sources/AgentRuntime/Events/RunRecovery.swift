/// `run_recovery`: what start-up recovery decided for a run that had no terminal event.
///
/// A resumed run gets it when its re-execution has caught up with the journal — right before its first new event
/// (or its terminal event), so everything before it in the stream was replayed and everything after it is new. A
/// run that is not resumed gets it right before its `run_failed {INTERRUPTED}`.
public struct RunRecovery: Codable, Sendable, Hashable {
    /// What recovery decided.
    public enum Decision: String, Codable, Sendable, Hashable {
        /// The run was re-executed from the journal and goes on from its last completed step.
        case resumed
        /// The run is ended `run_failed {INTERRUPTED}`.
        case interrupted
    }

    /// What recovery decided.
    public var decision: Decision
    /// Why, for people.
    public var reason: String
    /// The sequence number of the run's last event before recovery.
    public var lastSeq: Int64

    enum CodingKeys: String, CodingKey {
        case decision, reason, lastSeq = "last_seq"
    }

    /// Creates the payload.
    public init(decision: Decision, reason: String, lastSeq: Int64) {
        self.decision = decision
        self.reason = reason
        self.lastSeq = lastSeq
    }
}
