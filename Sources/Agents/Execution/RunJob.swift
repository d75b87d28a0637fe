/// A run accepted by ``RunCoordinator/submit(_:)`` and waiting for (or under) execution.
struct RunJob: Sendable {
    /// The run's ids.
    var context: UserExecutionContext
    /// The user's message.
    var content: String
    /// The sequence number of the run's `message_received`.
    var messageReceivedSeq: Int64
    /// The run's stop signal.
    var control: RunControl
}
