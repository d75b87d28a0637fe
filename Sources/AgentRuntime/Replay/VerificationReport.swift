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

    private enum ExtraKeys: String, CodingKey {
        case clean
    }

    /// Encodes the report with a `clean` field besides the stored ones.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(runID, forKey: .runID)
        try container.encode(replayRunID, forKey: .replayRunID)
        try container.encode(expectedCount, forKey: .expectedCount)
        try container.encode(actualCount, forKey: .actualCount)
        try container.encodeIfPresent(divergence, forKey: .divergence)
        var extra = encoder.container(keyedBy: ExtraKeys.self)
        try extra.encode(isClean, forKey: .clean)
    }
}
