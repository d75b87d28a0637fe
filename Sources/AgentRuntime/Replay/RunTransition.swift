/// One step of a replay: the event applied, what it changed in the run's state, and the frames that carried it.
public struct RunTransition: Sendable, Hashable, Codable {
    /// The event's position in the run's stream (1 for `user_message`).
    public var position: Int
    /// The event's sequence number.
    public var seq: Int64
    /// The event's type.
    public var type: String
    /// The agent, when one applies.
    public var agentName: String?
    /// The tool, when one applies.
    public var toolName: String?
    /// What changed, one line each (`status pending → running`, `tool classify_request → success {…}`).
    public var changes: [String]
    /// The run's status after the event.
    public var status: RunStatus
    /// The current agent after the event.
    public var currentAgent: String?
    /// The frames that carried the event, one per connection.
    public var frames: [RunState.FrameSent]

    enum CodingKeys: String, CodingKey {
        case position, seq, type, agentName = "agent_name", toolName = "tool_name", changes, status
        case currentAgent = "current_agent", frames
    }
}
