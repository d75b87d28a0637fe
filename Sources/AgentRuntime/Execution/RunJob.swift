/// A run accepted by ``RunCoordinator/submit(_:)`` — or resumed by start-up recovery — and waiting for (or under)
/// execution.
struct RunJob: Sendable {
    /// What a resumed run executes with instead of the coordinator's own recorder, model and tools.
    struct Resumption: Sendable {
        /// Where the run was left.
        var plan: ResumePlan
        /// The recorder that checks the journaled events instead of appending them again.
        var recorder: RunRecorder
        /// The journaled LLM answers, then the live model.
        var llm: any LLMClient
        /// The coordinator's configuration with tools that give their journaled outputs first.
        var configuration: AgentsConfiguration
    }

    /// The run's ids.
    var context: UserExecutionContext
    /// The user's message.
    var content: String
    /// The sequence number of the run's `message_received`.
    var messageReceivedSeq: Int64
    /// The run's stop signal.
    var control: RunControl
    /// Set when start-up recovery resumes the run.
    var resumption: Resumption?
}
