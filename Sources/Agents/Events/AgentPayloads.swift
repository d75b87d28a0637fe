/// How an agent ended: the `status` of `agent_completed`.
public enum AgentStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// The agent did its work.
    case completed
    /// The agent failed (an error of its own or of a tool).
    case failed
    /// The agent exceeded its time limit.
    case timeout
}

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

    enum CodingKeys: String, CodingKey {
        case agentName = "agent_name", status, finalResponse = "final_response", durationMs = "duration_ms"
    }

    /// Creates the payload.
    public init(agentName: String, status: AgentStatus, finalResponse: String?, durationMs: Int) {
        self.agentName = agentName
        self.status = status
        self.finalResponse = finalResponse
        self.durationMs = durationMs
    }

    /// Encodes every field, an absent `final_response` as `null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(agentName, forKey: .agentName)
        try container.encode(status, forKey: .status)
        try container.encode(finalResponse, forKey: .finalResponse)
        try container.encode(durationMs, forKey: .durationMs)
    }
}

/// `agent_error` (frame): an agent failed; `agent_completed {failed|timeout}` follows.
public struct AgentErrorReported: Codable, Sendable, Hashable {
    /// The agent.
    public var agentName: String
    /// `TOOL_FAILED`, `TOOL_TIMEOUT`, `AGENT_TIMEOUT`, `AGENT_FAILED`, `LLM_UNAVAILABLE`, …
    public var errorCode: String
    /// A sentence for people (no stack traces, no file paths).
    public var message: String

    enum CodingKeys: String, CodingKey {
        case agentName = "agent_name", errorCode = "error_code", message
    }

    /// Creates the payload.
    public init(agentName: String, errorCode: String, message: String) {
        self.agentName = agentName
        self.errorCode = errorCode
        self.message = message
    }
}
