import Foundation
import Journal

/// Runs one request through a pipeline: the supervisor's `agent_started` and plan, then the agents its planner
/// picks (handoffs first), then the pipeline's answer in the supervisor's `agent_completed`.
struct Supervisor<State: Codable & Sendable>: Sendable {
    let pipeline: Pipeline<State>
    let environment: RunEnvironment

    /// A planner that keeps picking agents is stopped here: the run ends as if it had finished.
    static var maximumSteps: Int { 200 }

    /// Runs the pipeline for `request`, journaling every step.
    /// - Throws: `CancellationError` when the run is stopped; `JournalError` when the journal is unavailable;
    ///   ``ResumeDivergence``; ``AgentEventError`` when the state cannot be encoded.
    func run(request: String, causedBy cause: Int64?) async throws -> RunAnswer {
        let configuration = environment.configuration
        let recorder = environment.recorder
        let runner = AgentRunner(environment: environment)
        let deadline = ContinuousClock.now + configuration.runTimeout
        let startedAt = configuration.clock()
        let started = try await recorder.record(
            .agentStarted(
                AgentStarted(
                    agentName: AgentName.supervisor.rawValue, taskDescription: pipeline.supervisorTask,
                    instanceID: configuration.makeID())),
            causedBy: cause)
        let thinking = try await recorder.record(
            .agentThinking(
                AgentThinking(
                    agentName: AgentName.supervisor.rawValue, reasoning: pipeline.planDescription, stepNumber: 1)),
            causedBy: started.seq)

        var progress = RunProgress(
            request: request, state: pipeline.initialState(request), remaining: configuration.runTimeout)
        var handoff: AgentName?
        for _ in 0..<Self.maximumSteps {
            progress.remaining = deadline - ContinuousClock.now
            let step: PlanStep
            if let next = handoff {
                step = .run(next)
                handoff = nil
            } else {
                step = pipeline.planner.next(&progress)
            }
            guard case .run(let name, let requestedLimit) = step else {
                if case .skip(let name, let reason) = step {
                    progress.history.append(
                        AgentOutcome(agent: name, status: .skipped, failure: AgentFailure(code: "SKIPPED", message: reason)))
                    continue
                }
                break
            }
            guard let agent = pipeline.agents[name] else {
                progress.history.append(
                    AgentOutcome(
                        agent: name, status: .skipped,
                        failure: AgentFailure(code: "UNKNOWN_AGENT", message: "the pipeline has no agent \(name)")))
                continue
            }
            let limit: Duration
            if let requestedLimit {
                limit = min(configuration.agentTimeout, requestedLimit)
            } else {
                limit = min(configuration.agentTimeout, progress.remaining)
            }
            guard limit > .zero else {
                progress.history.append(
                    AgentOutcome(
                        agent: name, status: .skipped,
                        failure: AgentFailure(code: "RUN_TIMEOUT", message: "the run ran out of time")))
                continue
            }
            let result = try await runner.run(
                agent, state: progress.state, instanceID: configuration.makeID(), causedBy: thinking.seq,
                timeLimit: limit)
            progress.state = result.state
            progress.history.append(result.outcome)
            handoff = result.outcome.succeeded ? result.outcome.handoff : nil
        }
        progress.remaining = deadline - ContinuousClock.now
        let answer = pipeline.answer(progress)
        let duration = max(0, Int((configuration.clock().timeIntervalSince(startedAt) * 1_000).rounded()))
        let completed = try await recorder.record(
            .agentCompleted(
                AgentCompleted(
                    agentName: AgentName.supervisor.rawValue, status: .completed, finalResponse: answer.text,
                    durationMs: duration, state: try JSONValue(encoding: progress.state))),
            causedBy: started.seq)
        return RunAnswer(finalResponse: answer.text, degraded: answer.degraded, completedSeq: completed.seq)
    }
}
