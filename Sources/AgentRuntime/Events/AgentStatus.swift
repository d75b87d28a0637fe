/// How an agent ended: the `status` of `agent_completed`.
public enum AgentStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// The agent did its work.
    case completed
    /// The agent failed (an error of its own or of a tool).
    case failed
    /// The agent exceeded its time limit.
    case timeout
}
