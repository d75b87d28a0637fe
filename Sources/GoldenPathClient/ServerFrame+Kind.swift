extension ServerFrame {
    /// The type of a server frame. This enum is the one place the client side spells them.
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        /// `connection_established`.
        case connectionEstablished = "connection_established"
        /// `message_received`.
        case messageReceived = "message_received"
        /// `agent_started`.
        case agentStarted = "agent_started"
        /// `agent_thinking`.
        case agentThinking = "agent_thinking"
        /// `tool_executing`.
        case toolExecuting = "tool_executing"
        /// `tool_completed`.
        case toolCompleted = "tool_completed"
        /// `agent_completed`.
        case agentCompleted = "agent_completed"
        /// `agent_error`.
        case agentError = "agent_error"
        /// `agent_response_delta`.
        case agentResponseDelta = "agent_response_delta"
        /// `agent_response_reset`.
        case agentResponseReset = "agent_response_reset"
        /// `run_completed`.
        case runCompleted = "run_completed"
        /// `run_failed`.
        case runFailed = "run_failed"
        /// `run_cancelled`.
        case runCancelled = "run_cancelled"
        /// `resume_completed`.
        case resumeCompleted = "resume_completed"
        /// `thread_history`.
        case threadHistory = "thread_history"
        /// `pong`.
        case pong
        /// `error`.
        case error

        /// True for the frames that carry a journal event (they have a `seq`, go to every connection of the
        /// event's owner and are what `resume` re-sends): `message_received` and the run events.
        public var isEvent: Bool {
            switch self {
            case .messageReceived, .agentStarted, .agentThinking, .toolExecuting, .toolCompleted, .agentCompleted,
                .agentError, .agentResponseDelta, .agentResponseReset, .runCompleted, .runFailed, .runCancelled:
                true
            case .connectionEstablished, .resumeCompleted, .threadHistory, .pong, .error:
                false
            }
        }

        /// True for the three frames that end a run: `run_completed`, `run_failed`, `run_cancelled`.
        public var isTerminal: Bool {
            switch self {
            case .runCompleted, .runFailed, .runCancelled:
                true
            case .connectionEstablished, .messageReceived, .agentStarted, .agentThinking, .toolExecuting,
                .toolCompleted, .agentCompleted, .agentError, .agentResponseDelta, .agentResponseReset,
                .resumeCompleted, .threadHistory, .pong, .error:
                false
            }
        }

        /// The type strings of the frames that carry a journal event.
        public static let eventTypes: Set<String> = Set(allCases.filter(\.isEvent).map(\.rawValue))

        /// The type strings of the frames that end a run.
        public static let terminalTypes: Set<String> = Set(allCases.filter(\.isTerminal).map(\.rawValue))
    }
}
