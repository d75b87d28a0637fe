/// Every event type string the Agents layer writes to `events.type`. This enum is the only place they are spelled.
public enum EventType: String, Sendable, Hashable, CaseIterable, Codable {
    /// The user's message as received (first event of a run).
    case userMessage = "user_message"
    /// The acknowledgement of a user message (frame).
    case messageReceived = "message_received"
    /// An agent began (frame).
    case agentStarted = "agent_started"
    /// An agent's reasoning step (frame).
    case agentThinking = "agent_thinking"
    /// A tool call began (frame).
    case toolExecuting = "tool_executing"
    /// A tool call ended (frame).
    case toolCompleted = "tool_completed"
    /// An agent ended (frame).
    case agentCompleted = "agent_completed"
    /// An agent failed (frame).
    case agentError = "agent_error"
    /// The run ended with an answer (frame, terminal).
    case runCompleted = "run_completed"
    /// The run could not go on (frame, terminal).
    case runFailed = "run_failed"
    /// The run was stopped by its user (frame, terminal).
    case runCancelled = "run_cancelled"
    /// A piece of a model's answer as it streams (frame).
    case agentResponseDelta = "agent_response_delta"
    /// The text streamed under a response id is not the answer (frame).
    case agentResponseReset = "agent_response_reset"
    /// A request to the language model.
    case llmRequest = "llm_request"
    /// The language model's answer.
    case llmResponse = "llm_response"
    /// No attempt of a language-model call produced an answer.
    case llmFailed = "llm_failed"
    /// A recovery decision taken at start-up for a run left without a terminal event.
    case runRecovery = "run_recovery"
    /// A WebSocket connection was authenticated and opened.
    case connectionOpened = "connection_opened"
    /// A WebSocket connection closed.
    case connectionClosed = "connection_closed"
    /// A client frame was refused.
    case inputRejected = "input_rejected"
    /// A user account was created.
    case userSignedUp = "user_signed_up"

    /// The version of this type's payload schema written by the current code.
    public var schemaVersion: Int {
        switch self {
        case .userMessage, .messageReceived, .agentStarted, .agentThinking, .toolExecuting, .toolCompleted,
            .agentCompleted, .agentError, .runCompleted, .runFailed, .runCancelled, .agentResponseDelta,
            .agentResponseReset, .llmRequest, .llmResponse, .llmFailed, .runRecovery, .connectionOpened,
            .connectionClosed, .inputRejected, .userSignedUp:
            1
        }
    }

    /// True when events of this type are sent to the owner's connections as WebSocket frames.
    public var isFrame: Bool {
        switch self {
        case .messageReceived, .agentStarted, .agentThinking, .toolExecuting, .toolCompleted, .agentCompleted,
            .agentError, .runCompleted, .runFailed, .runCancelled, .agentResponseDelta, .agentResponseReset:
            true
        case .userMessage, .llmRequest, .llmResponse, .llmFailed, .runRecovery, .connectionOpened,
            .connectionClosed, .inputRejected, .userSignedUp:
            false
        }
    }

    /// True for the three events that end a run.
    public var isTerminal: Bool {
        switch self {
        case .runCompleted, .runFailed, .runCancelled: true
        case .userMessage, .messageReceived, .agentStarted, .agentThinking, .toolExecuting, .toolCompleted,
            .agentCompleted, .agentError, .agentResponseDelta, .agentResponseReset, .llmRequest, .llmResponse,
            .llmFailed, .runRecovery, .connectionOpened, .connectionClosed, .inputRejected, .userSignedUp:
            false
        }
    }

    /// The type strings of the events that become WebSocket frames.
    public static let frameTypes: Set<String> = Set(allCases.filter(\.isFrame).map(\.rawValue))

    /// The type strings of the events that end a run.
    public static let terminalTypes: Set<String> = Set(allCases.filter(\.isTerminal).map(\.rawValue))
}

extension EventType {
    /// True for the events of a streamed answer (`agent_response_delta`, `agent_response_reset`): journaled outside
    /// the run's step numbering, in a number that depends on timing, so replay and resume compare a response by its
    /// text instead of event by event.
    public var isStreamedAnswer: Bool { self == .agentResponseDelta || self == .agentResponseReset }

    /// The type strings of ``isStreamedAnswer`` events.
    public static let streamedAnswerTypes: Set<String> = [
        EventType.agentResponseDelta.rawValue, EventType.agentResponseReset.rawValue,
    ]
}
