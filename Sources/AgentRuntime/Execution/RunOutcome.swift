/// How the execution of a run ended, before its terminal event is written.
enum RunOutcome: Sendable {
    /// The supervisor answered.
    case completed(RunAnswer)
    /// Stopped from outside (its user, or shutdown).
    case stopped(RunControl.StopReason)
    /// The run went past its hard time limit.
    case timedOut
    /// The journal refused one of the run's events.
    case journalFailed
    /// Something else broke the pipeline (a message for people).
    case failed(String)
    /// The executing task was cancelled (the coordinator's task is ending).
    case parentCancelled
    /// A resumed run's re-execution did not reproduce what it had journaled.
    case resumeDiverged(ResumeDivergence)

    /// The run's terminal event.
    func terminalEvent(runTimeout: Duration) -> AgentEvent {
        switch self {
        case .completed(let outcome):
            .runCompleted(RunCompleted(finalResponse: outcome.finalResponse, degraded: outcome.degraded))
        case .stopped(.cancelledByUser):
            .runCancelled(RunCancelled())
        case .stopped(.interrupted), .parentCancelled, .resumeDiverged:
            .runFailed(.interrupted)
        case .timedOut:
            .runFailed(
                RunFailed(
                    errorCode: "INTERNAL",
                    message: "the run went past its time limit of \(runTimeout.milliseconds / 1_000) s"))
        case .journalFailed:
            .runFailed(RunFailed(errorCode: "JOURNAL_UNAVAILABLE", message: "the journal could not record the run"))
        case .failed(let message):
            .runFailed(RunFailed(errorCode: "INTERNAL", message: message))
        }
    }
}
