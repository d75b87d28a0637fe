/// `run_recovery`: what start-up recovery decided for a run that had no terminal event.
public struct RunRecovery: Codable, Sendable, Hashable {
    /// `interrupted` (the run is ended `run_failed {INTERRUPTED}`); resuming is a later addition.
    public var decision: String
    /// Why, for people.
    public var reason: String
    /// The sequence number of the run's last event before recovery.
    public var lastSeq: Int64

    enum CodingKeys: String, CodingKey {
        case decision, reason, lastSeq = "last_seq"
    }

    /// Creates the payload.
    public init(decision: String, reason: String, lastSeq: Int64) {
        self.decision = decision
        self.reason = reason
        self.lastSeq = lastSeq
    }
}
