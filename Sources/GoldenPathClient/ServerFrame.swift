/// A frame the server sends (SPEC §4): one case per frame type, each keeping the frame's whole JSON object, and
/// ``unknown(_:)`` for anything else — a frame type this client does not know yet, or a known type that lacks a
/// field its case needs — so that a newer server never breaks a client.
///
/// ```swift
/// switch try ServerFrame(parsing: text) {
/// case .messageReceived(let ack): print("run", ack.runID)
/// case .runCompleted(let end): print(end.finalResponse ?? "")
/// case .error(let error): print(error.code, error.message)
/// default: break
/// }
/// ```
///
/// Accessors common to every frame (``type``, ``seq``, ``runID``, ``agentName``, ``status``, …) read the frame's
/// fields whatever its case, so code that only looks at a field does not need to switch.
public enum ServerFrame: Sendable, Hashable, CustomStringConvertible {
    /// `connection_established {connection_id, user_id, head_seq}`: the first frame of an authenticated connection.
    case connectionEstablished(ConnectionEstablished)
    /// `message_received {client_message_id, thread_id, run_id}`: the server took a `user_message`.
    case messageReceived(EventFrame)
    /// `agent_started {agent_name, task_description}`.
    case agentStarted(EventFrame)
    /// `agent_thinking {agent_name, reasoning, step_number}`.
    case agentThinking(EventFrame)
    /// `tool_executing {agent_name, tool_name, parameters, execution_id}`.
    case toolExecuting(EventFrame)
    /// `tool_completed {agent_name, tool_name, execution_id, status, results, duration_ms}`.
    case toolCompleted(EventFrame)
    /// `agent_completed {agent_name, status, final_response, duration_ms}`.
    case agentCompleted(EventFrame)
    /// `agent_error {agent_name, error_code, message}`.
    case agentError(EventFrame)
    /// `agent_response_delta {agent_name, response_id, delta, chunk_index}`: a piece of a streamed answer.
    case agentResponseDelta(EventFrame)
    /// `agent_response_reset {agent_name, response_id, reason}`: the text streamed under a response id is not the
    /// answer.
    case agentResponseReset(EventFrame)
    /// `run_completed {status, final_response, degraded}`: the run ended with an answer (terminal).
    case runCompleted(EventFrame)
    /// `run_failed {status, error_code, message}`: the pipeline could not go on (terminal).
    case runFailed(EventFrame)
    /// `run_cancelled {status, error_code?, message?}`: the run was stopped (terminal).
    case runCancelled(EventFrame)
    /// `resume_completed {head_seq}`: a `resume` has re-sent everything up to `head_seq`.
    case resumeCompleted(ResumeCompleted)
    /// `thread_history {thread_id, messages}`: the answer to `get_thread_history`.
    case threadHistory(ThreadHistory)
    /// `pong`: the answer to `ping`.
    case pong(FrameObject)
    /// `error {code, message}`: a refused request or connection.
    case error(ServerError)
    /// Any other frame, kept whole.
    case unknown(FrameObject)

    /// The frame's JSON object, whatever its case.
    public var object: FrameObject {
        switch self {
        case .connectionEstablished(let frame): frame.object
        case .messageReceived(let frame), .agentStarted(let frame), .agentThinking(let frame),
            .toolExecuting(let frame), .toolCompleted(let frame), .agentCompleted(let frame), .agentError(let frame),
            .agentResponseDelta(let frame), .agentResponseReset(let frame), .runCompleted(let frame),
            .runFailed(let frame), .runCancelled(let frame):
            frame.object
        case .resumeCompleted(let frame): frame.object
        case .threadHistory(let frame): frame.object
        case .error(let frame): frame.object
        case .pong(let object), .unknown(let object): object
        }
    }

    /// The frame's kind; nil for ``unknown(_:)``.
    public var kind: Kind? {
        switch self {
        case .connectionEstablished: .connectionEstablished
        case .messageReceived: .messageReceived
        case .agentStarted: .agentStarted
        case .agentThinking: .agentThinking
        case .toolExecuting: .toolExecuting
        case .toolCompleted: .toolCompleted
        case .agentCompleted: .agentCompleted
        case .agentError: .agentError
        case .agentResponseDelta: .agentResponseDelta
        case .agentResponseReset: .agentResponseReset
        case .runCompleted: .runCompleted
        case .runFailed: .runFailed
        case .runCancelled: .runCancelled
        case .resumeCompleted: .resumeCompleted
        case .threadHistory: .threadHistory
        case .pong: .pong
        case .error: .error
        case .unknown: nil
        }
    }

    /// The journal-event part of a frame that carries a journal event (`message_received` and the run events).
    public var event: EventFrame? {
        switch self {
        case .messageReceived(let frame), .agentStarted(let frame), .agentThinking(let frame),
            .toolExecuting(let frame), .toolCompleted(let frame), .agentCompleted(let frame), .agentError(let frame),
            .agentResponseDelta(let frame), .agentResponseReset(let frame), .runCompleted(let frame),
            .runFailed(let frame), .runCancelled(let frame):
            frame
        case .connectionEstablished, .resumeCompleted, .threadHistory, .pong, .error, .unknown:
            nil
        }
    }

    /// The frame as received (or, for a frame built in code, as compact JSON).
    public var text: String { object.text }

    /// The frame as compact JSON with sorted keys, as the server writes frames.
    public var jsonText: String { object.jsonText }

    /// The frame's text.
    public var description: String { text }
}
