extension ServerFrame {
    /// `type`, as sent (also for ``unknown(_:)`` frames; nil when the frame has none).
    public var type: String? { object.string("type") }
    /// `timestamp` (every frame).
    public var timestamp: String? { object.string("timestamp") }
    /// `seq` (journal-event frames).
    public var seq: Int64? { object.int64("seq") }
    /// `run_id`.
    public var runID: String? { object.string("run_id") }
    /// `thread_id`.
    public var threadID: String? { object.string("thread_id") }
    /// `user_id`.
    public var userID: String? { object.string("user_id") }
    /// `client_message_id` (`message_received`).
    public var clientMessageID: String? { object.string("client_message_id") }
    /// `agent_name`.
    public var agentName: String? { object.string("agent_name") }
    /// `tool_name`.
    public var toolName: String? { object.string("tool_name") }
    /// `status` (tool, agent and terminal frames).
    public var status: String? { object.string("status") }
    /// `final_response` (`agent_completed`, `run_completed`).
    public var finalResponse: String? { object.string("final_response") }
    /// `degraded` (`run_completed`).
    public var degraded: Bool? { object["degraded"]?.boolValue }
    /// The error code: `code` of an `error` frame, `error_code` of an event (`agent_error`, `run_failed`, …).
    public var errorCode: String? {
        if case .error(let error) = self { return error.code }
        return object.string("error_code") ?? object.string("code")
    }
    /// `message` (`error` frames and failed events).
    public var message: String? { object.string("message") }
    /// `head_seq` (`connection_established`, `resume_completed`).
    public var headSeq: Int64? { object.int64("head_seq") }
    /// True for a frame that carries a journal event (`message_received` and the run events).
    public var isEvent: Bool { kind?.isEvent ?? false }
    /// True for `run_completed`, `run_failed` and `run_cancelled`.
    public var isTerminal: Bool { kind?.isTerminal ?? false }
    /// Any member of the frame.
    public subscript(key: String) -> JSONValue? { object[key] }
}
