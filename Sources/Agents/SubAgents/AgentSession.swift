import Foundation
import Journal
import Synchronization

/// One agent's working session in one run: it journals the agent's thinking and tool calls, in order.
final class AgentSession: Sendable {
    let agentName: AgentName
    let context: UserExecutionContext
    let recorder: RunRecorder
    let llm: any LLMClient
    let configuration: AgentsConfiguration
    private let state: Mutex<State>

    private struct State {
        var step = 0
        var lastSeq: Int64
        var open: OpenExecution?
    }

    /// A tool call that has a `tool_executing` and no `tool_completed` yet.
    private struct OpenExecution {
        var executionID: String
        var toolName: String
        var startedAt: Date
        var seq: Int64
    }

    init(
        agentName: AgentName, context: UserExecutionContext, recorder: RunRecorder, llm: any LLMClient,
        configuration: AgentsConfiguration, startedSeq: Int64
    ) {
        self.agentName = agentName
        self.context = context
        self.recorder = recorder
        self.llm = llm
        self.configuration = configuration
        self.state = Mutex(State(lastSeq: startedSeq))
    }

    /// Journals one reasoning step (`agent_thinking`).
    func think(_ reasoning: String) async throws {
        let (step, cause) = state.withLock { state in
            state.step += 1
            return (state.step, state.lastSeq)
        }
        let recorded = try await recorder.record(
            .agentThinking(AgentThinking(agentName: agentName.rawValue, reasoning: reasoning, stepNumber: step)),
            causedBy: cause)
        state.withLock { $0.lastSeq = recorded.seq }
    }

    /// Calls a tool within its time limit, journaling `tool_executing` (secrets redacted) and `tool_completed`.
    /// - Throws: ``AgentFailure`` (`TOOL_FAILED`, `TOOL_TIMEOUT`) after journaling the failed call;
    ///   `CancellationError` when the run is cancelled; `JournalError`.
    func use(_ toolName: String, _ parameters: JSONValue) async throws -> JSONValue {
        guard let tool = configuration.tools[toolName] else {
            throw AgentFailure(code: ToolError.Code.unknownTool.rawValue, message: "no tool is named \(toolName)")
        }
        let executionID = configuration.makeID()
        let cause = state.withLock { $0.lastSeq }
        let executing = try await recorder.record(
            .toolExecuting(
                ToolExecuting(
                    agentName: agentName.rawValue, toolName: toolName, parameters: parameters.redactingSecrets(),
                    executionID: executionID)),
            causedBy: cause)
        let startedAt = configuration.clock()
        state.withLock {
            $0.open = OpenExecution(
                executionID: executionID, toolName: toolName, startedAt: startedAt, seq: executing.seq)
            $0.lastSeq = executing.seq
        }
        let toolContext = ToolContext(
            execution: context.child(step: toolName), agentName: agentName.rawValue, llm: llm, recorder: recorder,
            causationSeq: executing.seq)
        let results: JSONValue?
        do {
            results = try await withTimeLimit(configuration.timeLimit(ofTool: toolName)) {
                try await tool.execute(parameters, context: toolContext)
            }
        } catch let error as JournalError {
            throw error
        } catch let error as ResumeDivergence {
            throw error
        } catch {
            try Task.checkCancellation()
            if error is CancellationError { throw error }
            let toolError = error as? ToolError
            let code = toolError?.code.rawValue ?? ToolError.Code.failed.rawValue
            let message = toolError?.message ?? "\(toolName) failed"
            try await complete(
                status: .error, results: ["error": ["code": .string(code), "message": .string(message)]])
            throw AgentFailure(code: ToolError.Code.failed.rawValue, message: "\(toolName) failed: \(message)")
        }
        guard let results else {
            let limit = configuration.timeLimit(ofTool: toolName)
            try await closeOpenExecution(status: .timeout)
            throw AgentFailure(
                code: "TOOL_TIMEOUT", message: "\(toolName) did not finish within \(limit.milliseconds) ms")
        }
        try await complete(status: .success, results: results)
        return results
    }

    /// Journals `tool_completed` with `status` for the open tool call, if there is one (after an agent timeout).
    func closeOpenExecution(status: ToolStatus) async throws {
        let message = status == .timeout ? "the time limit passed" : "the tool call ended"
        try await complete(
            status: status,
            results: [
                "error": [
                    "code": .string(status == .timeout ? "TOOL_TIMEOUT" : "TOOL_FAILED"), "message": .string(message),
                ]
            ])
    }

    /// Journals `tool_completed` for the open call. The call stays open until that event is recorded, so that a
    /// cancellation (agent timeout) in between still leaves it for ``closeOpenExecution(status:)``.
    private func complete(status: ToolStatus, results: JSONValue) async throws {
        guard let open = state.withLock({ $0.open }) else { return }
        let duration = max(0, Int((configuration.clock().timeIntervalSince(open.startedAt) * 1_000).rounded()))
        let recorded = try await recorder.record(
            .toolCompleted(
                ToolCompleted(
                    agentName: agentName.rawValue, toolName: open.toolName, executionID: open.executionID,
                    status: status, results: results, durationMs: duration)),
            causedBy: open.seq)
        state.withLock { state in
            state.open = nil
            state.lastSeq = recorded.seq
        }
    }
}
