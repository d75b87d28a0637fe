import Journal
import NIOWebSocket

/// What a connection's outbound loop does next. Everything written to one socket goes through one ordered
/// stream of these, so replies, live events and resumes never interleave out of order.
enum SessionCommand: Sendable {
    /// A journal event from the user's subscription (a frame type).
    case event(RecordedEvent)
    /// A reply frame for this connection only (`pong`, `error`, `thread_history`).
    case reply(type: String, text: String)
    /// Re-send a journal-event frame to this connection only (the first `message_received` of a duplicate).
    case resend(RecordedEvent)
    /// Re-send the user's frames after a sequence, then `resume_completed`.
    case resume(afterSeq: Int64)
    /// Try again to record and write the frames held back while the journal could not record their deliveries.
    case retryHeldFrames
    /// Send an optional `error` frame, close with the code, and stop.
    case close(error: GatewayError?, code: WebSocketErrorCode, reason: String)
}
