import Foundation
import Journal
import Logging

/// What a run executes with: its ids, its recorder, the language model, the limits and the tools (the
/// pipeline's, with the configuration's replacements).
struct RunEnvironment: Sendable {
    let context: UserExecutionContext
    let logger: Logger
    let recorder: RunRecorder
    let llm: any LLMClient
    let configuration: AgentsConfiguration
    let tools: ToolRegistry
}

/// Runs one agent inside its time limit and journals its block: `agent_started`, then the agent's own events,
/// then `agent_completed` (with the run state after it) — preceded by `agent_error` when it failed or ran out
/// of time.
struct AgentRunner: Sendable {
    let environment: RunEnvironment

    /// How one agent ended.
    struct Result<State: Codable & Sendable>: Sendable {
        var outcome: AgentOutcome
        /// The state after the agent (unchanged when it failed).
        var state: State
        /// The sequence number of its `agent_completed`.
        var completedSeq: Int64
    }

    /// Runs `agent` on `state`.
    /// - Throws: `CancellationError` when the run is cancelled (nothing more is journaled); `JournalError`;
    ///   ``ResumeDivergence``; ``AgentEventError`` when the state cannot be encoded.
    func run<State>(
        _ agent: any Agent<State>, state: State, instanceID: String, causedBy cause: Int64?, timeLimit: Duration
    ) async throws -> Result<State> {
        let configuration = environment.configuration
        let recorder = environment.recorder
        let name = agent.name.rawValue
        let started = try await recorder.record(
            .agentStarted(
                AgentStarted(
                    agentName: name, taskDescription: agent.taskDescription(for: state), instanceID: instanceID)),
            causedBy: cause)
        let startedAt = configuration.clock()
        let session = AgentSession(
            agentName: agent.name, context: environment.context.child(step: name), recorder: recorder,
            llm: environment.llm, configuration: configuration, tools: environment.tools, logger: environment.logger,
            startedSeq: started.seq)
        var status = AgentStatus.completed
        var failure: AgentFailure?
        var result: AgentResult<State>?
        do {
            result = try await withTimeLimit(timeLimit, clock: configuration.timeLimitClock) {
                try await agent.run(session, state: state)
            }
            if result == nil {
                try Task.checkCancellation()
                try await session.closeOpenExecutions(status: .timeout)
                status = .timeout
                failure = AgentFailure(
                    code: "AGENT_TIMEOUT",
                    message: "the \(name) agent did not finish within \(timeLimit.milliseconds) ms")
            }
        } catch let error as JournalError {
            throw error
        } catch let error as ResumeDivergence {
            throw error
        } catch let error as AgentFailure {
            try Task.checkCancellation()
            status = .failed
            failure = error
        } catch {
            try Task.checkCancellation()
            if error is CancellationError { throw error }
            environment.logger.error(
                "an agent failed", metadata: ["run.id": "\(environment.context.runID)", "agent": "\(name)", "error": "\(error)"])
            status = .failed
            failure = AgentFailure(code: "AGENT_FAILED", message: "the \(name) agent failed")
        }
        if let failure {
            try await recorder.record(
                .agentError(AgentErrorReported(agentName: name, errorCode: failure.code, message: failure.message)),
                causedBy: started.seq)
        }
        let after = result?.state ?? state
        let duration = max(0, Int((configuration.clock().timeIntervalSince(startedAt) * 1_000).rounded()))
        let completed = try await recorder.record(
            .agentCompleted(
                AgentCompleted(
                    agentName: name, status: status, finalResponse: result?.summary, durationMs: duration,
                    state: try JSONValue(encoding: after))),
            causedBy: started.seq)
        let outcomeStatus: AgentOutcome.Status =
            switch status {
            case .completed: .completed
            case .timeout: .timedOut
            case .failed: .failed
            }
        return Result(
            outcome: AgentOutcome(
                agent: agent.name, status: outcomeStatus, summary: result?.summary, failure: failure,
                handoff: result?.handoff),
            state: after, completedSeq: completed.seq)
    }
}
