import Journal
import Logging

extension RunCoordinator {
    /// Executes one run and writes its terminal event.
    func execute(_ job: RunJob) async {
        registry.markStarted(job.context.runID)
        let recorder = recorder(for: job)
        let outcome = await race(job, recorder: recorder)
        await finish(job, with: outcome, recorder: recorder)
    }

    /// Ends a run that was never executed.
    func end(_ job: RunJob, with outcome: RunOutcome) async {
        await finish(job, with: outcome, recorder: recorder(for: job))
    }

    private func recorder(for job: RunJob) -> RunRecorder {
        job.resumption?.recorder
            ?? RunRecorder(
                journal: journal, context: job.context, lastSeq: job.messageReceivedSeq,
                streaming: StreamingPolicy(configuration))
    }

    /// Journals a resumed run's recovery decision (when not yet journaled) and the run's terminal event.
    private func finish(_ job: RunJob, with outcome: RunOutcome, recorder: RunRecorder) async {
        registry.markEnding(job.context.runID)
        var outcome = outcome
        if let resumption = job.resumption {
            outcome = await settleRecovery(resumption, outcome: outcome)
        }
        await appendTerminal(outcome.terminalEvent(runTimeout: configuration.runTimeout), recorder: recorder)
        if journal.isShared { await releaseLease(job.context.runID) }
        registry.release(job.context.runID)
    }

    /// A resumed run that diverged from its journal is ended as interrupted, with `run_recovery {interrupted}`
    /// saying where; one that caught up journals `run_recovery {resumed}` if no new event has done it yet.
    private func settleRecovery(_ resumption: RunJob.Resumption, outcome: RunOutcome) async -> RunOutcome {
        let recorder = resumption.recorder
        var divergence: ResumeDivergence?
        if case .resumeDiverged(let diverged) = outcome {
            divergence = diverged
        } else if let diverged = recorder.divergence {
            divergence = diverged
        } else if case .completed = outcome, let index = recorder.firstUnreproducedIndex {
            divergence = ResumeDivergence(index: index, fields: ["event"])
        }
        let runID = resumption.plan.context.runID
        do {
            if let divergence {
                logger.warning(
                    "a resumed run diverged from its journal", metadata: ["run.id": "\(runID)", "divergence": "\(divergence)"])
                _ = try await recorder.append([
                    try resumption.plan.decision(
                        .interrupted, reason: "its re-execution after a restart diverged: \(divergence)")
                ])
                return .resumeDiverged(divergence)
            }
            try await recorder.finishCatchingUp()
        } catch {
            logger.error("cannot journal a recovery decision", metadata: ["run.id": "\(runID)", "error": "\(error)"])
        }
        return outcome
    }

    /// Runs the supervisor against the run's stop signal and its hard time limit; the first to finish decides.
    /// Returns only after the pipeline has stopped, so that nothing is journaled after the terminal event.
    private func race(_ job: RunJob, recorder: RunRecorder) async -> RunOutcome {
        let hardLimit = configuration.runTimeout + configuration.runHardLimitMargin
        return await withTaskGroup(of: RunOutcome.self) { group in
            group.addTask { await self.pipeline(job, recorder: recorder) }
            group.addTask {
                for await reason in job.control.signals {
                    return .stopped(reason)
                }
                return .parentCancelled
            }
            group.addTask {
                await self.configuration.timeLimitClock.sleep(for: hardLimit) ? .timedOut : .parentCancelled
            }
            var outcome = RunOutcome.parentCancelled
            while let next = await group.next() {
                if case .parentCancelled = next { continue }
                outcome = next
                break
            }
            group.cancelAll()
            return outcome
        }
    }

    private func pipeline(_ job: RunJob, recorder: RunRecorder) async -> RunOutcome {
        let configuration = job.resumption?.configuration ?? configuration
        let environment = RunEnvironment(
            context: job.context, logger: logger, recorder: recorder, llm: job.resumption?.llm ?? llm, configuration: configuration,
            tools: pipeline.tools.overlaid(by: configuration.tools))
        do {
            let answer = try await pipeline.execute(
                request: job.content, environment: environment, causedBy: job.messageReceivedSeq)
            return .completed(answer)
        } catch let error as JournalError {
            logger.error(
                "the journal refused a run event", metadata: ["run.id": "\(job.context.runID)", "error": "\(error)"])
            return .journalFailed
        } catch let divergence as ResumeDivergence {
            return .resumeDiverged(divergence)
        } catch {
            if Task.isCancelled { return .parentCancelled }
            logger.error("a run failed", metadata: ["run.id": "\(job.context.runID)", "error": "\(error)"])
            return .failed("the run could not go on")
        }
    }

    /// Appends the run's one terminal event, retrying with capped backoff while the journal fails
    /// (see ``AgentsConfiguration/terminalAppendMaxBackoff``).
    func appendTerminal(_ event: AgentEvent, recorder: RunRecorder) async {
        let runID = recorder.context.runID
        let newEvent: NewEvent
        do {
            newEvent = try event.newEvent(
                recorder.metadata(
                    eventID: RunRecorder.terminalEventID(runID: runID), causedBy: await recorder.terminalCause()))
        } catch {
            logger.error("cannot encode a terminal event", metadata: ["run.id": "\(runID)", "error": "\(error)"])
            return
        }
        var backoff = configuration.terminalAppendBackoff
        var attempt = 0
        while true {
            attempt += 1
            do {
                // Committed, and knowing that an ordered append of the run may have been lost before it.
                let recorded = try await journal.append(newEvent, to: recorder.stream, acknowledgingLoss: true)
                logger.info(
                    "run ended",
                    metadata: [
                        "run.id": "\(runID)", "event.type": "\(recorded.type)",
                        "event.seq": "\(recorded.seq)",
                    ])
                return
            } catch let error as JournalError where error.code == .duplicateEventID {
                logger.notice("the run had already ended", metadata: ["run.id": "\(runID)"])
                return
            } catch let error as JournalError where error.code == .closed {
                logger.warning("the journal is closed", metadata: ["run.id": "\(runID)", "error": "\(error)"])
                break
            } catch {
                logger.warning(
                    "cannot append a terminal event",
                    metadata: ["run.id": "\(runID)", "attempt": "\(attempt)", "error": "\(error)"])
            }
            // Past the bounded attempts, keep going (at the capped pace) only while the coordinator runs.
            if attempt >= max(1, configuration.terminalAppendAttempts), Task.isCancelled || registry.isClosed {
                break
            }
            do {
                try await Task.sleep(for: backoff)
            } catch {
                // Cancelled (shutdown): keep trying without waiting; the number of attempts still bounds it.
            }
            backoff = min(backoff * 2, max(configuration.terminalAppendBackoff, configuration.terminalAppendMaxBackoff))
        }
        logger.error(
            "gave up appending a terminal event; start-up recovery will end the run", metadata: ["run.id": "\(runID)"])
    }
}
