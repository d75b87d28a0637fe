import Journal
import Logging

extension RunCoordinator {
    /// Ends every run left without a terminal event by an earlier process: `run_recovery` then
    /// `run_failed {INTERRUPTED}`, so its user is told. Call once at start-up, before ``run()``.
    ///
    /// Resuming a run from its last completed step is a later addition; the decision is journaled either way.
    /// - Returns: The ids of the runs ended.
    /// - Throws: `JournalError` when the journal cannot be read or written.
    public func recoverInterruptedRuns() async throws -> [String] {
        var recovered: [String] = []
        for run in try await queries.openRuns() where !registry.contains(run.runID) {
            let context = UserExecutionContext(
                userID: run.userID, threadID: run.threadID, runID: run.runID, requestID: run.runID)
            let recorder = RunRecorder(journal: journal, context: context, lastSeq: run.lastSeq)
            let decision = AgentEvent.runRecovery(
                RunRecovery(
                    decision: "interrupted", reason: "the process that ran it stopped before the run ended",
                    lastSeq: run.lastSeq))
            let terminal = AgentEvent.runFailed(
                RunFailed(
                    errorCode: "INTERRUPTED", message: "the server restarted before the run finished"))
            let events = [
                try decision.newEvent(recorder.metadata(eventID: "\(run.runID):recovery", causedBy: run.lastSeq)),
                try terminal.newEvent(
                    recorder.metadata(
                        eventID: RunRecorder.terminalEventID(runID: run.runID), causedBy: run.lastSeq)),
            ]
            do {
                try await journal.append(events, to: recorder.stream)
                recovered.append(run.runID)
                logger.notice("recovered an interrupted run", metadata: ["run.id": "\(run.runID)"])
            } catch let error as JournalError where error.code == .duplicateEventID {
                logger.notice("the run had already ended", metadata: ["run.id": "\(run.runID)"])
            }
        }
        return recovered
    }
}
