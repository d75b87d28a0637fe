/// A frame that carries a journal event — `message_received` and every run event — with the fields every such frame
/// has typed (`seq`, `run_id`), and typed accessors for the fields of each type.
///
/// The payload of an event is flattened into the frame, so a field a newer server adds is still there, in
/// ``object``.
public struct EventFrame: Sendable, Hashable {
    /// The journal sequence of the event: what `resume {after_seq}` counts from.
    public let seq: Int64
    /// The run the event belongs to.
    public let runID: String
    /// The whole frame.
    public let object: FrameObject

    /// Reads the event fields of a frame; nil when `seq` or `run_id` is missing or malformed.
    init?(_ object: FrameObject) {
        guard let seq = object.int64("seq"), let runID = object.string("run_id") else { return nil }
        self.seq = seq
        self.runID = runID
        self.object = object
    }

    /// `timestamp`: when the event was recorded (ISO 8601, UTC, milliseconds).
    public var timestamp: String? { object.string("timestamp") }
    /// `user_id`: the owner of the event.
    public var userID: String? { object.string("user_id") }
    /// `thread_id`.
    public var threadID: String? { object.string("thread_id") }
    /// `client_message_id` (`message_received`).
    public var clientMessageID: String? { object.string("client_message_id") }
    /// `agent_name` (agent and tool events).
    public var agentName: String? { object.string("agent_name") }
    /// `task_description` (`agent_started`).
    public var taskDescription: String? { object.string("task_description") }
    /// `reasoning` (`agent_thinking`).
    public var reasoning: String? { object.string("reasoning") }
    /// `step_number` (`agent_thinking`).
    public var stepNumber: Int? { object["step_number"]?.intValue }
    /// `tool_name` (tool events).
    public var toolName: String? { object.string("tool_name") }
    /// `execution_id` (tool events).
    public var executionID: String? { object.string("execution_id") }
    /// `parameters` (`tool_executing`; secrets redacted).
    public var parameters: JSONValue? { object["parameters"] }
    /// `results` (`tool_completed`).
    public var results: JSONValue? { object["results"] }
    /// `status`: `success`/`error`/`timeout` for a tool, `completed`/`failed`/`timeout` for an agent, the run's
    /// status on a terminal frame.
    public var status: String? { object.string("status") }
    /// `final_response` (`agent_completed`, `run_completed`).
    public var finalResponse: String? { object.string("final_response") }
    /// `degraded` (`run_completed`): some step failed and the answer says what is missing.
    public var degraded: Bool? { object["degraded"]?.boolValue }
    /// `duration_ms` (`tool_completed`, `agent_completed`).
    public var durationMs: Int? { object["duration_ms"]?.intValue }
    /// `error_code` (`agent_error`, `run_failed`, `run_cancelled`).
    public var errorCode: String? { object.string("error_code") }
    /// `message` (`agent_error`, `run_failed`, `run_cancelled`).
    public var message: String? { object.string("message") }
    /// `response_id` (`agent_response_delta`, `agent_response_reset`).
    public var responseID: String? { object.string("response_id") }
    /// `delta` (`agent_response_delta`).
    public var delta: String? { object.string("delta") }
    /// `chunk_index` (`agent_response_delta`).
    public var chunkIndex: Int? { object["chunk_index"]?.intValue }
    /// `reason` (`agent_response_reset`).
    public var reason: String? { object.string("reason") }
}
