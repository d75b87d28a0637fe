/// `agent_completed` (frame): an agent ended.
public struct AgentCompleted: Codable, Sendable, Hashable {
    /// The agent.
    public var agentName: String
    /// How it ended.
    public var status: AgentStatus
    /// The agent's result in words (the supervisor's is the answer), or `null`.
    public var finalResponse: String?
    /// How long the agent worked.
    public var durationMs: Int
    /// The pipeline's run state after the agent (journal only: not part of the frame), so that replay and resume
    /// compare it; absent in events written before pipelines had state.
    public var state: JSONValue?

    enum CodingKeys: String, CodingKey {
        case agentName = "agent_name", status, finalResponse = "final_response", durationMs = "duration_ms", state
    }

    /// Creates the payload.
    public init(
        agentName: String, status: AgentStatus, finalResponse: String?, durationMs: Int, state: JSONValue? = nil
    ) {
        self.agentName = agentName
        self.status = status
        self.finalResponse = finalResponse
        self.durationMs = durationMs
        self.state = state
    }

    /// Encodes every field, an absent `final_response` as `null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(agentName, forKey: .agentName)
        try container.encode(status, forKey: .status)
        try container.encode(finalResponse, forKey: .finalResponse)
        try container.encode(durationMs, forKey: .durationMs)
        try container.encodeIfPresent(state, forKey: .state)
    }
}
