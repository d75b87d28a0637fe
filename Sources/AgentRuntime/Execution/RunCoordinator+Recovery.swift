import Journal
import Logging

extension RunCoordinator {
    /// Recovers every run an earlier process left without a terminal event. Call once at start-up, before
    /// ``run()``.
    ///
    /// Under ``RecoveryPolicy/resume`` (the default) each run is handed to ``run()`` again: it is re-executed from
    /// its start with the journaled LLM answers and tool outputs fed back (nothing that completed is done twice),
    /// every event it produces is checked against the journaled one instead of being appended, and once it has
    /// caught up it journals `run_recovery {resumed}` and goes on live. A step that had started but not finished
    /// (a `tool_executing` without its `tool_completed`) runs again. A run that cannot be resumed — its events do
    /// not decode, it was resumed ``AgentsConfiguration/maximumResumeAttempts`` times, or its re-execution
    /// diverges — and every run under ``RecoveryPolicy/interrupt`` is ended `run_recovery {interrupted}` then
    /// `run_failed {INTERRUPTED}`. Either way the decision is journaled and its user is told.
    /// - Returns: Each run found, with the decision taken (a resumed run is still executing).
    /// - Throws: `JournalError` when the journal cannot be read or written.
    public func recoverInterruptedRuns() async throws -> [RecoveredRun] {
        var recovered: [RecoveredRun] = []
        for run in try await queries.openRuns() where !registry.contains(run.runID) {
            let events = try await journal.stream(EventStreams.run(run.runID))
            do {
                guard configuration.recoveryPolicy == .resume else {
                    throw ResumePlan.Refusal(reason: "start-up recovery is set to interrupt open runs")
                }
                let plan = try ResumePlan(
                    runID: run.runID, events: events, maximumAttempts: configuration.maximumResumeAttempts)
                try await resume(plan)
                recovered.append(RecoveredRun(runID: run.runID, decision: .resumed))
                logger.notice("resuming an interrupted run", metadata: ["run.id": "\(run.runID)"])
            } catch let refusal as ResumePlan.Refusal {
                guard try await interrupt(run, events: events, reason: refusal.reason) else { continue }
                recovered.append(RecoveredRun(runID: run.runID, decision: .interrupted))
                logger.notice(
                    "ended an interrupted run", metadata: ["run.id": "\(run.runID)", "reason": "\(refusal.reason)"])
            }
        }
        return recovered
    }

    /// Hands a resumed run to ``run()``.
    private func resume(_ plan: ResumePlan) async throws(ResumePlan.Refusal) {
        var resumed = configuration
        resumed.tools = try plan.tools(continuingWith: tools)
        let recorder: RunRecorder
        do {
            recorder = try RunRecorder(journal: journal, resuming: plan, streaming: StreamingPolicy(configuration))
        } catch {
            throw ResumePlan.Refusal(reason: "its recovery decision cannot be encoded: \(error)")
        }
        let control = RunControl()
        do {
            try registry.reserve(runID: plan.context.runID, userID: plan.context.userID, control: control, limit: .max)
        } catch {
            throw ResumePlan.Refusal(reason: "the server is shutting down")
        }
        let job = RunJob(
            context: plan.context, content: plan.content, messageReceivedSeq: plan.messageReceivedSeq,
            control: control,
            resumption: RunJob.Resumption(
                plan: plan, recorder: recorder, llm: try plan.llm(continuingWith: llm), configuration: resumed))
        registry.attach(job)
        if case .terminated = jobsContinuation.yield(job) {
            await end(job, with: .stopped(.interrupted))
        }
    }

    /// Ends a run with `run_recovery {interrupted}` and `run_failed {INTERRUPTED}` in one append.
    /// - Returns: false when another process ended it first.
    private func interrupt(_ run: RunRecord, events: [RecordedEvent], reason: String) async throws -> Bool {
        let context = UserExecutionContext(
            userID: run.userID, threadID: run.threadID, runID: run.runID, requestID: run.runID)
        let recorder = RunRecorder(journal: journal, context: context, lastSeq: run.lastSeq)
        let decision = AgentEvent.runRecovery(
            RunRecovery(decision: .interrupted, reason: reason, lastSeq: run.lastSeq))
        let terminal = AgentEvent.runFailed(.interrupted)
        let batch = [
            try decision.newEvent(
                recorder.metadata(
                    eventID: ResumePlan.nextRecoveryEventID(runID: run.runID, events: events), causedBy: run.lastSeq)),
            try terminal.newEvent(
                recorder.metadata(eventID: RunRecorder.terminalEventID(runID: run.runID), causedBy: run.lastSeq)),
        ]
        do {
            try await journal.append(batch, to: recorder.stream)
            return true
        } catch let error as JournalError where error.code == .duplicateEventID {
            logger.notice("the run had already ended", metadata: ["run.id": "\(run.runID)"])
            return false
        }
    }
}
