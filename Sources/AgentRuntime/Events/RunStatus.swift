/// How a run stands: the `status` of run frames and of the `runs` projection.
public enum RunStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// The message is recorded; no agent has started yet.
    case pending
    /// Agents are working.
    case running
    /// The run ended with an answer.
    case completed
    /// The pipeline could not go on.
    case failed
    /// The user stopped the run.
    case cancelled
}
