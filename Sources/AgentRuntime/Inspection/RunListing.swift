/// One line of `goldenpath runs`: a run's projected state plus the models that answered its LLM calls.
public struct RunListing: Sendable, Hashable, Codable {
    /// The run.
    public var runID: String
    /// Its owner.
    public var userID: String
    /// Its thread.
    public var threadID: String
    /// `pending`, `running`, `completed`, `failed` or `cancelled`.
    public var status: String
    /// The agents in the order they started.
    public var agents: [String]
    /// How many events the run has.
    public var eventCount: Int
    /// From the first to the terminal event; nil while the run is open.
    public var durationMs: Int?
    /// Triage's data sufficiency (`sufficient`, `partial`, `insufficient`), once known.
    public var path: String?
    /// True when the run completed with some step missing.
    public var degraded: Bool
    /// The error code of a failed or cancelled run.
    public var errorCode: String?
    /// When the run started (ISO 8601).
    public var startedAt: String
    /// The models that answered the run's LLM calls.
    public var models: [String]
    /// Prompt plus completion tokens over the run's LLM calls.
    public var tokens: Int

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", userID = "user_id", threadID = "thread_id", status, agents
        case eventCount = "event_count", durationMs = "duration_ms", path, degraded, errorCode = "error_code"
        case startedAt = "started_at", models, tokens
    }
}
