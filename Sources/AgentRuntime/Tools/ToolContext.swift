import Foundation
import Journal

/// What a tool may use besides its parameters: who and what it works for, its idempotency key, and the
/// journaled language model.
public struct ToolContext: Sendable {
    /// The run's user, thread, run and request ids.
    public let execution: UserExecutionContext
    /// The agent calling the tool.
    public let agentName: String
    /// The call's `execution_id`: the same when a call that a crash interrupted runs again after a restart
    /// (at-least-once), a new one for a new call — the idempotency key of a tool with side effects.
    public let executionID: String
    /// The call's position among the run's tool calls (0-based, in `tool_executing` order).
    public let callIndex: Int
    let llm: any LLMClient
    let recorder: RunRecorder
    let causationSeq: Int64?

    init(
        execution: UserExecutionContext, agentName: String, executionID: String, callIndex: Int,
        llm: any LLMClient, recorder: RunRecorder, causationSeq: Int64?
    ) {
        self.execution = execution
        self.agentName = agentName
        self.executionID = executionID
        self.callIndex = callIndex
        self.llm = llm
        self.recorder = recorder
        self.causationSeq = causationSeq
    }

    /// Asks the language model, journaling `llm_request` before and `llm_response` or `llm_failed` after.
    /// - Throws: ``LLMError`` when no attempt produced an answer (any other client error is reported as
    ///   `LLM_UNAVAILABLE`); `JournalError` when the journal is unavailable.
    public func complete(_ request: LLMRequest) async throws -> LLMResponse {
        try await LLMCall(llm: llm, recorder: recorder).complete(request, causedBy: causationSeq)
    }

    /// Asks the language model like ``complete(_:)``; an answer `accepts` refuses (text the tool cannot use) has
    /// its streamed text reset (`agent_response_reset {failed}`, before its `llm_response`), so that a client never
    /// takes the deltas of an answer that was not used for the answer.
    /// - Throws: as ``complete(_:)``.
    public func complete(
        _ request: LLMRequest, accepting accepts: @escaping @Sendable (LLMResponse) -> Bool
    ) async throws -> LLMResponse {
        try await LLMCall(llm: llm, recorder: recorder).complete(request, causedBy: causationSeq, accepting: accepts)
    }
}
