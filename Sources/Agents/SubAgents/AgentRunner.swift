import Foundation
import Journal

/// Runs one agent inside its time limit and journals its frame: `agent_started`, then the agent's own events,
/// then `agent_completed` — preceded by `agent_error` when it failed or ran out of time.
struct AgentRunner: Sendable {
    let context: UserExecutionContext
    let recorder: RunRecorder
    let llm: any LLMClient
    let configuration: AgentsConfiguration

    /// How one agent ended.
    struct Result: Sendable {
        var status: AgentStatus
        /// The agent's summary when it completed.
        var summary: String?
        /// The hand-off after the agent (unchanged when it failed).
        var handoff: Handoff
        /// Why it failed, when it did.
        var failure: AgentFailure?
        /// The sequence number of its `agent_completed`.
        var completedSeq: Int64
    }

    /// Runs `agent` on `handoff`.
    /// - Throws: `CancellationError` when the run is cancelled (nothing more is journaled); `JournalError`.
    func run(_ agent: any SubAgent, handoff: Handoff, causedBy cause: Int64?, timeLimit: Duration) async throws
        -> Result
    {
        let name = agent.name.rawValue
        let started = try await recorder.record(
            .agentStarted(
                AgentStarted(
                    agentName: name, taskDescription: agent.taskDescription(for: handoff), instanceID: agent.instanceID)
            ),
            causedBy: cause)
        let startedAt = configuration.clock()
        let session = AgentSession(
            agentName: agent.name, context: context.child(step: name), recorder: recorder, llm: llm,
            configuration: configuration, startedSeq: started.seq)
        var status = AgentStatus.completed
        var failure: AgentFailure?
        var output: AgentOutput?
        do {
            output = try await withTimeLimit(timeLimit) { try await agent.perform(session, handoff: handoff) }
            if output == nil {
                try Task.checkCancellation()
                try await session.closeOpenExecution(status: .timeout)
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
            status = .failed
            failure = AgentFailure(code: "AGENT_FAILED", message: "the \(name) agent failed")
        }
        if let failure {
            try await recorder.record(
                .agentError(AgentErrorReported(agentName: name, errorCode: failure.code, message: failure.message)),
                causedBy: started.seq)
        }
        let duration = max(0, Int((configuration.clock().timeIntervalSince(startedAt) * 1_000).rounded()))
        let completed = try await recorder.record(
            .agentCompleted(
                AgentCompleted(
                    agentName: name, status: status, finalResponse: output?.summary, durationMs: duration)),
            causedBy: started.seq)
        return Result(
            status: status, summary: output?.summary, handoff: output?.handoff ?? handoff, failure: failure,
            completedSeq: completed.seq)
    }
}
