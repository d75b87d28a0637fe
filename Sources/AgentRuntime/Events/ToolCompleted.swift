/// `tool_completed` (frame): a tool call ended.
public struct ToolCompleted: Codable, Sendable, Hashable {
    /// The agent that called the tool.
    public var agentName: String
    /// The tool.
    public var toolName: String
    /// The id of the matching `tool_executing`.
    public var executionID: String
    /// How the call ended.
    public var status: ToolStatus
    /// The output (on error, `{"error": {"code", "message"}}`).
    public var results: JSONValue
    /// How long the call took.
    public var durationMs: Int

    enum CodingKeys: String, CodingKey {
        case agentName = "agent_name", toolName = "tool_name", executionID = "execution_id", status, results,
            durationMs = "duration_ms"
    }

    /// Creates the payload.
    public init(
        agentName: String, toolName: String, executionID: String, status: ToolStatus, results: JSONValue,
        durationMs: Int
    ) {
        self.agentName = agentName
        self.toolName = toolName
        self.executionID = executionID
        self.status = status
        self.results = results
        self.durationMs = durationMs
    }
}
