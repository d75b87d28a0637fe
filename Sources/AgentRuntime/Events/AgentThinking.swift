/// `agent_thinking` (frame): one reasoning step of an agent.
public struct AgentThinking: Codable, Sendable, Hashable {
    /// The agent.
    public var agentName: String
    /// The reasoning, for people.
    public var reasoning: String
    /// 1 for the agent's first step, then 2, 3, …
    public var stepNumber: Int

    enum CodingKeys: String, CodingKey {
        case agentName = "agent_name", reasoning, stepNumber = "step_number"
    }

    /// Creates the payload.
    public init(agentName: String, reasoning: String, stepNumber: Int) {
        self.agentName = agentName
        self.reasoning = reasoning
        self.stepNumber = stepNumber
    }
}
