import Foundation
import Journal

/// Runs one request: triage first, then the agents its data sufficiency picks, reporting last; skips the agents
/// whose dependency failed, and always ends with an answer (degraded when something could not be done).
struct Supervisor: Sendable {
    let instanceID: String
    let factory: AgentFactory

    /// What the supervisor answers.
    struct Outcome: Sendable, Hashable {
        var finalResponse: String
        var degraded: Bool
        /// The sequence number of the supervisor's `agent_completed`.
        var completedSeq: Int64
    }

    /// Runs the pipeline for `request`, journaling every step.
    /// - Throws: `CancellationError` when the run is stopped; `JournalError` when the journal is unavailable.
    func run(request: String, runner: AgentRunner, causedBy cause: Int64?) async throws -> Outcome {
        let configuration = runner.configuration
        let recorder = runner.recorder
        let deadline = ContinuousClock.now + configuration.runTimeout
        let startedAt = configuration.clock()
        let started = try await recorder.record(
            .agentStarted(
                AgentStarted(
                    agentName: AgentName.supervisor.rawValue, taskDescription: "Answer the user's request",
                    instanceID: instanceID)),
            causedBy: cause)
        let thinking = try await recorder.record(
            .agentThinking(
                AgentThinking(
                    agentName: AgentName.supervisor.rawValue,
                    reasoning:
                        "Triage first; its data sufficiency decides which agents run next. Reporting answers last.",
                    stepNumber: 1)),
            causedBy: started.seq)

        var handoff = Handoff(request: request)
        var failed: Set<AgentName> = []
        var plan: [AgentName] = [.triage]
        var index = 0
        while index < plan.count {
            let name = plan[index]
            index += 1
            guard let agent = factory.makeSubAgent(name) else { continue }
            if let dependency = name.dependency, failed.contains(dependency) {
                failed.insert(name)
                handoff.failedSteps.append("\(name.rawValue): skipped because \(dependency.rawValue) did not complete")
                continue
            }
            let remaining = deadline - ContinuousClock.now
            let limit: Duration
            if name == .reporting {
                limit = min(configuration.agentTimeout, max(remaining, .seconds(1)))
            } else {
                limit = min(configuration.agentTimeout, remaining - configuration.reportingReserve)
                guard limit > .zero else {
                    failed.insert(name)
                    handoff.failedSteps.append("\(name.rawValue): skipped because the run ran out of time")
                    continue
                }
            }
            let result = try await runner.run(agent, handoff: handoff, causedBy: thinking.seq, timeLimit: limit)
            if result.status == .completed {
                handoff = result.handoff
            } else {
                failed.insert(name)
                let reason = result.failure?.message ?? "it did not complete"
                handoff.failedSteps.append("\(name.rawValue): \(reason)")
            }
            if name == .triage {
                plan += configuration.agentsAfterTriage(handoff.classification?.dataSufficiency)
            }
            if name == .reporting, result.status == .completed, let report = result.summary, !report.isEmpty {
                return try await finish(
                    report: FallbackReport.ensuringGapsAreStated(report, handoff: handoff), handoff: handoff,
                    failed: failed, startedAt: startedAt, started: started.seq, runner: runner)
            }
        }
        // Reporting did not produce an answer: the supervisor writes the fallback itself.
        var fallback = handoff
        fallback.usedFallbackReport = true
        return try await finish(
            report: FallbackReport.text(for: fallback, reason: "the reporting step did not complete"),
            handoff: fallback, failed: failed.union([.reporting]), startedAt: startedAt, started: started.seq,
            runner: runner)
    }

    private func finish(
        report: String, handoff: Handoff, failed: Set<AgentName>, startedAt: Date, started: Int64, runner: AgentRunner
    ) async throws -> Outcome {
        let configuration = runner.configuration
        let duration = max(0, Int((configuration.clock().timeIntervalSince(startedAt) * 1_000).rounded()))
        let completed = try await runner.recorder.record(
            .agentCompleted(
                AgentCompleted(
                    agentName: AgentName.supervisor.rawValue, status: .completed, finalResponse: report,
                    durationMs: duration)),
            causedBy: started)
        return Outcome(
            finalResponse: report, degraded: !failed.isEmpty || handoff.usedFallbackReport,
            completedSeq: completed.seq)
    }
}
