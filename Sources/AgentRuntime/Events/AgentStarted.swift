/// `agent_started` (frame): an agent began.
public struct AgentStarted: Codable, Sendable, Hashable {
    /// `supervisor`, `triage`, `data_helper`, `data`, `optimization`, `actions` or `reporting`.
    public var agentName: String
    /// What the agent is asked to do.
    public var taskDescription: String
    /// The id of this agent instance: a fresh one for every run.
    public var instanceID: String

    enum CodingKeys: String, CodingKey {
        case agentName = "agent_name", taskDescription = "task_description", instanceID = "instance_id"
    }

    /// Creates the payload.
    public init(agentName: String, taskDescription: String, instanceID: String) {
        self.agentName = agentName
        self.taskDescription = taskDescription
        self.instanceID = instanceID
    }
}
