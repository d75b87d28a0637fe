import Foundation
import Journal
import Logging
import Synchronization

/// One agent's working session in one run: everything the agent does through it is journaled, in order —
/// thinking (``think(_:)``), tool calls (``use(_:_:)``, ``callTools(_:)``) and language-model calls
/// (``complete(_:)``, and the tool loop of ``ToolLoopAgent``).
public final class AgentSession: Sendable {
    /// The agent.
    public let agentName: AgentName
    /// The run's ids, one step deeper for this agent.
    public let context: UserExecutionContext
    let recorder: RunRecorder
    let llm: any LLMClient
    let configuration: AgentsConfiguration
    let tools: ToolRegistry
    let logger: Logger
    private let state: Mutex<State>

    private struct State {
        var step = 0
        var lastSeq: Int64
        /// Tool calls journaled `tool_executing` without their `tool_completed` yet, in the model's order.
        var open: [OpenExecution] = []
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
        configuration: AgentsConfiguration, tools: ToolRegistry, logger: Logger, startedSeq: Int64
    ) {
        self.logger = logger
        self.agentName = agentName
        self.context = context
        self.recorder = recorder
        self.llm = llm
        self.configuration = configuration
        self.tools = tools
        self.state = Mutex(State(lastSeq: startedSeq))
    }

    /// The current time, from the run's injected clock (``AgentsConfiguration/clock``).
    public var now: Date { configuration.clock() }

    /// The sequence number of the agent's latest journaled event (the cause of its next one).
    var lastSeq: Int64 { state.withLock { $0.lastSeq } }

    func advance(to seq: Int64) {
        state.withLock { $0.lastSeq = max($0.lastSeq, seq) }
    }

    /// Journals one reasoning step (`agent_thinking`).
    /// - Throws: `CancellationError` when the run is stopped; `JournalError`.
    public func think(_ reasoning: String) async throws {
        let (step, cause) = state.withLock { state in
            state.step += 1
            return (state.step, state.lastSeq)
        }
        let recorded = try await recorder.record(
            .agentThinking(AgentThinking(agentName: agentName.rawValue, reasoning: reasoning, stepNumber: step)),
            causedBy: cause)
        advance(to: recorded.seq)
    }

    /// Asks the language model once, journaling `llm_request` and `llm_response` / `llm_failed`.
    /// - Throws: ``LLMError`` when no attempt produced an answer; `CancellationError`; `JournalError`.
    public func complete(_ request: LLMRequest) async throws -> LLMResponse {
        try await LLMCall(llm: llm, recorder: recorder).complete(request, causedBy: lastSeq)
    }

    /// Calls a tool of the pipeline within its time limit, journaling `tool_executing` (secrets redacted) and
    /// `tool_completed`, and returns its results.
    /// - Throws: ``AgentFailure`` — `UNKNOWN_TOOL` (nothing journaled), `TOOL_FAILED` (also for arguments that
    ///   do not fit the tool's schema) or `TOOL_TIMEOUT` after journaling the failed call; `CancellationError`
    ///   when the run is stopped; `JournalError`.
    public func use(_ toolName: String, _ parameters: JSONValue) async throws -> JSONValue {
        guard tools[toolName] != nil else {
            throw AgentFailure(code: ToolError.Code.unknownTool.rawValue, message: "no tool is named \(toolName)")
        }
        let result = try await callTools([ToolInvocation(name: toolName, arguments: .value(parameters))])[0]
        switch result.status {
        case .success:
            return result.results
        case .error:
            throw AgentFailure(
                code: ToolError.Code.failed.rawValue, message: "\(toolName) failed: \(result.errorMessage ?? "")")
        case .timeout:
            let limit = tools[toolName].map { configuration.timeLimit(of: $0) } ?? configuration.toolTimeout
            throw AgentFailure(
                code: "TOOL_TIMEOUT", message: "\(toolName) did not finish within \(limit.milliseconds) ms")
        }
    }

    /// Calls several tools at once: journals every `tool_executing` first, in the given order, runs the calls
    /// concurrently (each within its own time limit), then journals their `tool_completed` in the same order.
    /// A call of an unknown tool, or with arguments that are not JSON or do not fit the tool's schema, is
    /// journaled as an error without running. Never throws for a tool's failure: each result says how it ended.
    /// - Throws: `CancellationError` when the run is stopped; `JournalError`; ``ResumeDivergence``.
    public func callTools(_ invocations: [ToolInvocation]) async throws -> [ToolCallResult] {
        try await callTools(invocations, allowed: nil)
    }

    /// ``callTools(_:)`` where only the tools named in `allowed` exist (a tool-loop agent's own tools).
    func callTools(_ invocations: [ToolInvocation], allowed: Set<String>?) async throws -> [ToolCallResult] {
        var prepared: [PreparedCall] = []
        for invocation in invocations {
            prepared.append(try await begin(invocation, allowed: allowed))
        }
        let finished = try await withThrowingTaskGroup(of: (Int, FinishedCall).self) { group in
            for (index, call) in prepared.enumerated() {
                group.addTask { (index, await self.run(call)) }
            }
            var finished = [FinishedCall?](repeating: nil, count: prepared.count)
            for try await (index, result) in group {
                finished[index] = result
            }
            return finished
        }
        try Task.checkCancellation()
        var results: [ToolCallResult] = []
        for (call, outcome) in zip(prepared, finished) {
            let outcome = outcome ?? FinishedCall(status: .error, results: Self.error("TOOL_FAILED", "no result"))
            try await complete(call.executionID, status: outcome.status, results: outcome.results)
            results.append(
                ToolCallResult(
                    name: call.invocation.name, callID: call.invocation.callID, executionID: call.executionID,
                    status: outcome.status, results: outcome.results))
        }
        return results
    }

    /// Journals `tool_completed` with `status` for every open tool call (after an agent timeout), in order.
    func closeOpenExecutions(status: ToolStatus) async throws {
        let message = status == .timeout ? "the time limit passed" : "the tool call ended"
        let code = status == .timeout ? "TOOL_TIMEOUT" : "TOOL_FAILED"
        for open in state.withLock({ $0.open }) {
            try await complete(open.executionID, status: status, results: Self.error(code, message))
        }
    }

    // MARK: - One call

    private struct PreparedCall: Sendable {
        var invocation: ToolInvocation
        var tool: (any Tool)?
        var arguments: JSONValue?
        var problem: String?
        var executionID: String
        var context: ToolContext
    }

    private struct FinishedCall: Sendable {
        var status: ToolStatus
        var results: JSONValue
    }

    /// Checks the call, journals its `tool_executing` and opens it.
    private func begin(_ invocation: ToolInvocation, allowed: Set<String>?) async throws -> PreparedCall {
        let tool = allowed.map { $0.contains(invocation.name) } ?? true ? tools[invocation.name] : nil
        var arguments: JSONValue?
        var problem: String?
        switch invocation.arguments {
        case .value(let value): arguments = value
        case .text(let text):
            if let parsed = try? JSONValue(parsing: text.isEmpty ? "{}" : text) {
                arguments = parsed
            } else {
                problem = "the arguments are not valid JSON"
            }
        }
        if tool == nil {
            problem = "no tool is named \(invocation.name)"
        } else if problem == nil, let tool, let arguments {
            let problems = tool.parameters.problems(with: arguments)
            if !problems.isEmpty { problem = "the arguments do not fit the tool's parameters: " + problems.joined(separator: "; ") }
        }
        let journaledParameters =
            arguments?.redactingSecrets(named: tool?.secretParameters ?? [])
            ?? .object(["invalid_arguments": .string("[not JSON]")])
        let callIndex = recorder.nextToolCallIndex()
        let proposedID = configuration.makeID()
        let cause = lastSeq
        let recorded = try await recorder.record(
            .toolExecuting(
                ToolExecuting(
                    agentName: agentName.rawValue, toolName: invocation.name, parameters: journaledParameters,
                    executionID: proposedID)),
            causedBy: cause)
        // A resumed run reproduces the journaled event: its execution id is the call's idempotency key.
        let executionID =
            recorded.payload.utf8.firstRange(of: proposedID.utf8) != nil
            ? proposedID : (try? JSONValue(parsing: recorded.payload))?["execution_id"]?.stringValue ?? proposedID
        state.withLock {
            $0.open.append(
                OpenExecution(
                    executionID: executionID, toolName: invocation.name, startedAt: configuration.clock(),
                    seq: recorded.seq))
            $0.lastSeq = max($0.lastSeq, recorded.seq)
        }
        let toolContext = ToolContext(
            execution: context.child(step: invocation.name), agentName: agentName.rawValue, executionID: executionID,
            callIndex: callIndex, llm: llm, recorder: recorder, causationSeq: recorded.seq)
        return PreparedCall(
            invocation: invocation, tool: tool, arguments: arguments, problem: problem, executionID: executionID,
            context: toolContext)
    }

    /// Runs a prepared call within its time limit. Never throws: cancellation ends it as an error the caller
    /// does not journal (the run is ending).
    private func run(_ call: PreparedCall) async -> FinishedCall {
        guard let tool = call.tool, let arguments = call.arguments, call.problem == nil else {
            let code = call.tool == nil ? ToolError.Code.unknownTool : ToolError.Code.invalidParameters
            return FinishedCall(status: .error, results: Self.error(code.rawValue, call.problem ?? "invalid call"))
        }
        let limit = configuration.timeLimit(of: tool)
        do {
            let results = try await withTimeLimit(limit, clock: configuration.timeLimitClock) {
                try await tool.execute(arguments, context: call.context)
            }
            guard let results else {
                return FinishedCall(status: .timeout, results: Self.error("TOOL_TIMEOUT", "the time limit passed"))
            }
            return FinishedCall(status: .success, results: results)
        } catch {
            let toolError = error as? ToolError
            if toolError == nil, !(error is CancellationError) {
                logger.error(
                    "a tool failed",
                    metadata: ["run.id": "\(context.runID)", "tool": "\(tool.name)", "error": "\(error)"])
            }
            let code = toolError?.code.rawValue ?? ToolError.Code.failed.rawValue
            return FinishedCall(
                status: .error, results: Self.error(code, toolError?.message ?? "\(tool.name) failed"))
        }
    }

    /// Journals `tool_completed` for an open call. The call stays open until that event is recorded, so that a
    /// cancellation (agent timeout) in between still leaves it for ``closeOpenExecutions(status:)``.
    private func complete(_ executionID: String, status: ToolStatus, results: JSONValue) async throws {
        guard let open = state.withLock({ $0.open.first { $0.executionID == executionID } }) else { return }
        let duration = max(0, Int((configuration.clock().timeIntervalSince(open.startedAt) * 1_000).rounded()))
        let recorded = try await recorder.record(
            .toolCompleted(
                ToolCompleted(
                    agentName: agentName.rawValue, toolName: open.toolName, executionID: open.executionID,
                    status: status, results: results, durationMs: duration)),
            causedBy: open.seq)
        state.withLock { state in
            state.open.removeAll { $0.executionID == executionID }
            state.lastSeq = max(state.lastSeq, recorded.seq)
        }
    }

    static func error(_ code: String, _ message: String) -> JSONValue {
        ["error": ["code": .string(code), "message": .string(message)]]
    }
}

/// One tool call to make: the tool's name and its arguments, as a value or as the JSON text a model wrote.
public struct ToolInvocation: Sendable, Hashable {
    /// The arguments of a call.
    public enum Arguments: Sendable, Hashable {
        /// Arguments built in code.
        case value(JSONValue)
        /// Arguments as a model wrote them (checked: they may not be JSON).
        case text(String)
    }

    /// The tool's name.
    public var name: String
    /// The arguments.
    public var arguments: Arguments
    /// The model's id of the call, when a model asked for it.
    public var callID: String?

    /// Creates an invocation.
    public init(name: String, arguments: Arguments, callID: String? = nil) {
        self.name = name
        self.arguments = arguments
        self.callID = callID
    }
}

/// How one tool call ended, as journaled in its `tool_completed`.
public struct ToolCallResult: Sendable, Hashable {
    /// The tool's name.
    public var name: String
    /// The model's id of the call, when a model asked for it.
    public var callID: String?
    /// The call's `execution_id`.
    public var executionID: String
    /// How it ended.
    public var status: ToolStatus
    /// The results (on error or timeout, `{"error": {"code", "message"}}`).
    public var results: JSONValue

    /// The error's message when the call did not succeed.
    public var errorMessage: String? { results["error"]?["message"]?.stringValue }
}
