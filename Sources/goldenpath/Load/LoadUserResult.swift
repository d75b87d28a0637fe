import GoldenPathClient

/// What one load user measured: per message, the time to `message_received` and to the run's terminal frame.
struct LoadUserResult: Sendable {
    /// One message's timings and frames.
    struct Message: Sendable {
        var runID: String
        /// The message's tag (``FirstPieceRecorder/tag(in:)``).
        var tag: String
        var ackMs: Double
        var runMs: Double
        /// How the run ended: `run_completed`, `run_failed` or `run_cancelled`.
        var terminal: ServerFrame.Kind?
        /// The journal-event frames of this run that the connection received, by seq.
        var frameSeqs: [Int64]
        /// When the run's first `agent_response_delta` frame was read (nil when none came).
        var firstDeltaAt: ContinuousClock.Instant?
    }

    var userID: String
    var messages: [Message]
    /// Frames whose `user_id` was not this connection's user.
    var foreignFrames: Int
}
