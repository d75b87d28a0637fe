import Foundation
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
    ///
    /// On a journal that several processes share, only the runs whose lease has lapsed are recovered — their
    /// gateway stopped renewing it — and each by the one process that takes the lease; ``run()`` looks for such
    /// runs again every third of ``AgentsConfiguration/leaseDuration``.
    public func recoverInterruptedRuns() async throws -> [RecoveredRun] {
        var recovered: [RecoveredRun] = []
        for run in try await queries.openRuns() where !registry.contains(run.runID) {
            if journal.isShared, !registry.isClosed {
                guard try await claimLease(run.runID) else { continue }  // another gateway executes it
            }
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
                let ended = try await interrupt(run, events: events, reason: refusal.reason)
                if journal.isShared { await releaseLease(run.runID) }
                guard ended else { continue }
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

    // MARK: - Leases (a shared journal)

    /// The lease key of a run.
    static func leaseKey(_ runID: String) -> String { "run:\(runID)" }

    /// Takes (or renews) the lease on `runID` for this coordinator: whether it holds it now.
    func claimLease(_ runID: String) async throws -> Bool {
        let now = configuration.clock()
        return try await journal.claimLease(
            Self.leaseKey(runID), holder: leaseHolder,
            until: now.addingTimeInterval(Self.seconds(configuration.leaseDuration)), ifLapsedBy: now)
    }

    /// Gives up the lease on `runID` (its run ended here); a failure is logged — the lease then lapses.
    func releaseLease(_ runID: String) async {
        do {
            try await journal.releaseLease(Self.leaseKey(runID), holder: leaseHolder)
        } catch {
            logger.warning("cannot release a run lease", metadata: ["run.id": "\(runID)", "error": "\(error)"])
        }
    }

    /// Until cancelled, every third of the lease duration: renews this process's leases, then resumes the runs
    /// whose lease lapsed (a gateway that crashed or lost the database for longer than a lease).
    func maintainLeases() async {
        let period = configuration.leaseDuration / 3
        while await configuration.timeLimitClock.sleep(for: period), !registry.isClosed {
            do {
                let expiry = configuration.clock().addingTimeInterval(Self.seconds(configuration.leaseDuration))
                try await journal.renewLeases(holder: leaseHolder, until: expiry)
                let recovered = try await recoverInterruptedRuns()
                if !recovered.isEmpty {
                    logger.notice(
                        "took over runs whose lease lapsed", metadata: ["runs": "\(recovered.map(\.runID))"])
                }
            } catch {
                logger.warning("cannot renew run leases", metadata: ["error": "\(error)"])
            }
        }
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
