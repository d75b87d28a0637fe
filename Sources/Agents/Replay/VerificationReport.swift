/// What `replay --verify` found for one run.
public struct VerificationReport: Sendable, Hashable, Codable {
    /// The run verified.
    public var runID: String
    /// The id of the re-executed run in the scratch copy.
    public var replayRunID: String
    /// The number of recorded events of the run.
    public var expectedCount: Int
    /// The number of events the re-execution produced.
    public var actualCount: Int
    /// The first difference, or nil when the run verified clean.
    public var divergence: Divergence?

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", replayRunID = "replay_run_id", expectedCount = "expected_events"
        case actualCount = "actual_events", divergence
    }

    /// True when the re-execution produced the recorded events.
    public var isClean: Bool { divergence == nil }
}
