/// A run's projected state, as the `runs` projection holds it.
public struct RunRecord: Codable, Sendable, Hashable {
    /// The run.
    public var runID: String
    /// Its owner.
    public var userID: String
    /// Its thread.
    public var threadID: String
    /// Where it stands.
    public var status: RunStatus
    /// The agent that started last, while the run is open.
    public var currentAgent: String?
    /// The number of events in the run's stream.
    public var eventCount: Int
    /// When its first event was recorded.
    public var startedAt: String
    /// When its terminal event was recorded.
    public var endedAt: String?
    /// True when it completed with a degraded answer.
    public var degraded: Bool
    /// The terminal event's error code, if any.
    public var errorCode: String?
    /// The answer, when it completed.
    public var finalResponse: String?
    /// The agents in the order they started.
    public var agents: [String]
    /// Triage's data sufficiency: `sufficient`, `partial` or `insufficient`.
    public var path: String?
    /// The sequence number of its first event.
    public var firstSeq: Int64
    /// The sequence number of its latest event.
    public var lastSeq: Int64

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", userID = "user_id", threadID = "thread_id", status, currentAgent = "current_agent",
            eventCount = "event_count", startedAt = "started_at", endedAt = "ended_at", degraded,
            errorCode = "error_code", finalResponse = "final_response", agents, path, firstSeq = "first_seq",
            lastSeq = "last_seq"
    }

    /// Creates a record.
    public init(
        runID: String, userID: String, threadID: String, status: RunStatus, currentAgent: String?, eventCount: Int,
        startedAt: String, endedAt: String?, degraded: Bool, errorCode: String?, finalResponse: String?,
        agents: [String], path: String?, firstSeq: Int64, lastSeq: Int64
    ) {
        self.runID = runID
        self.userID = userID
        self.threadID = threadID
        self.status = status
        self.currentAgent = currentAgent
        self.eventCount = eventCount
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.degraded = degraded
        self.errorCode = errorCode
        self.finalResponse = finalResponse
        self.agents = agents
        self.path = path
        self.firstSeq = firstSeq
        self.lastSeq = lastSeq
    }

    /// True once the run has a terminal event.
    public var hasEnded: Bool { endedAt != nil }
}
