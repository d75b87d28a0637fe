/// The Agents layer's event vocabulary: one case per event type, each with its payload struct.
///
/// Exhaustive on purpose: projections and renderers `switch` over it without `default`, so adding a type makes
/// the compiler list every place that must learn about it. The type strings live only in ``EventType``.
public enum AgentEvent: Sendable, Hashable {
    /// `user_message`
    case userMessage(UserMessage)
    /// `message_received` (frame)
    case messageReceived(MessageReceived)
    /// `agent_started` (frame)
    case agentStarted(AgentStarted)
    /// `agent_thinking` (frame)
    case agentThinking(AgentThinking)
    /// `tool_executing` (frame)
    case toolExecuting(ToolExecuting)
    /// `tool_completed` (frame)
    case toolCompleted(ToolCompleted)
    /// `agent_completed` (frame)
    case agentCompleted(AgentCompleted)
    /// `agent_error` (frame)
    case agentError(AgentErrorReported)
    /// `run_completed` (frame, terminal)
    case runCompleted(RunCompleted)
    /// `run_failed` (frame, terminal)
    case runFailed(RunFailed)
    /// `run_cancelled` (frame, terminal)
    case runCancelled(RunCancelled)
    /// `agent_response_delta` (frame)
    case agentResponseDelta(AgentResponseDelta)
    /// `agent_response_reset` (frame)
    case agentResponseReset(AgentResponseReset)
    /// `llm_request`
    case llmRequest(LLMRequested)
    /// `llm_response`
    case llmResponse(LLMResponded)
    /// `llm_failed`
    case llmFailed(LLMFailed)
    /// `run_recovery`
    case runRecovery(RunRecovery)
    /// `connection_opened`
    case connectionOpened(ConnectionOpened)
    /// `connection_closed`
    case connectionClosed(ConnectionClosed)
    /// `input_rejected`
    case inputRejected(InputRejected)
    /// `user_signed_up`
    case userSignedUp(UserSignedUp)

    /// The event's type.
    public var type: EventType {
        switch self {
        case .userMessage: .userMessage
        case .messageReceived: .messageReceived
        case .agentStarted: .agentStarted
        case .agentThinking: .agentThinking
        case .toolExecuting: .toolExecuting
        case .toolCompleted: .toolCompleted
        case .agentCompleted: .agentCompleted
        case .agentError: .agentError
        case .runCompleted: .runCompleted
        case .runFailed: .runFailed
        case .runCancelled: .runCancelled
        case .agentResponseDelta: .agentResponseDelta
        case .agentResponseReset: .agentResponseReset
        case .llmRequest: .llmRequest
        case .llmResponse: .llmResponse
        case .llmFailed: .llmFailed
        case .runRecovery: .runRecovery
        case .connectionOpened: .connectionOpened
        case .connectionClosed: .connectionClosed
        case .inputRejected: .inputRejected
        case .userSignedUp: .userSignedUp
        }
    }

    /// The agent the event concerns, when there is one.
    public var agentName: String? {
        switch self {
        case .agentStarted(let payload): payload.agentName
        case .agentThinking(let payload): payload.agentName
        case .toolExecuting(let payload): payload.agentName
        case .toolCompleted(let payload): payload.agentName
        case .agentCompleted(let payload): payload.agentName
        case .agentError(let payload): payload.agentName
        case .agentResponseDelta(let payload): payload.agentName
        case .agentResponseReset(let payload): payload.agentName
        case .llmRequest(let payload): payload.agentName
        case .llmResponse(let payload): payload.agentName
        case .llmFailed(let payload): payload.agentName
        case .userMessage, .messageReceived, .runCompleted, .runFailed, .runCancelled, .runRecovery,
            .connectionOpened, .connectionClosed, .inputRejected, .userSignedUp:
            nil
        }
    }

    /// The type strings of the events that become WebSocket frames.
    public static let frameTypes: Set<String> = EventType.frameTypes

    /// The type strings of the events that end a run.
    public static let terminalTypes: Set<String> = EventType.terminalTypes
}
