/// `tool_executing` (frame): a tool call began.
public struct ToolExecuting: Codable, Sendable, Hashable {
    /// The agent calling the tool.
    public var agentName: String
    /// The tool.
    public var toolName: String
    /// The input, with secrets redacted.
    public var parameters: JSONValue
    /// The id that pairs this event with its `tool_completed`.
    public var executionID: String

    enum CodingKeys: String, CodingKey {
        case agentName = "agent_name", toolName = "tool_name", parameters, executionID = "execution_id"
    }

    /// Creates the payload.
    public init(agentName: String, toolName: String, parameters: JSONValue, executionID: String) {
        self.agentName = agentName
        self.toolName = toolName
        self.parameters = parameters
        self.executionID = executionID
    }
}
