import Journal

/// What a tool may use besides its parameters: who and what it works for, and the journaled language model.
public struct ToolContext: Sendable {
    /// The run's user, thread, run and request ids.
    public let execution: UserExecutionContext
    /// The agent calling the tool.
    public let agentName: String
    let llm: any LLMClient
    let recorder: RunRecorder
    let causationSeq: Int64?

    init(
        execution: UserExecutionContext, agentName: String, llm: any LLMClient, recorder: RunRecorder,
        causationSeq: Int64?
    ) {
        self.execution = execution
        self.agentName = agentName
        self.llm = llm
        self.recorder = recorder
        self.causationSeq = causationSeq
    }

    /// Asks the language model, journaling `llm_request` before and `llm_response` or `llm_failed` after.
    /// - Throws: ``LLMError`` when no attempt produced an answer (any other client error is reported as
    ///   `LLM_UNAVAILABLE`); `JournalError` when the journal is unavailable.
    public func complete(_ request: LLMRequest) async throws -> LLMResponse {
        let requested = try await recorder.record(
            .llmRequest(
                LLMRequested(
                    agentName: request.agentName, purpose: request.purpose, model: llm.modelName,
                    messages: request.messages)),
            causedBy: causationSeq)
        do {
            let response = try await llm.complete(request)
            try await recorder.record(
                .llmResponse(LLMResponded(agentName: request.agentName, response: response)), causedBy: requested.seq)
            return response
        } catch {
            try Task.checkCancellation()
            if error is CancellationError || error is JournalError || error is ResumeDivergence { throw error }
            let failure =
                error as? LLMError
                ?? LLMError(code: .unavailable, message: "the language model call failed")
            try await recorder.record(
                .llmFailed(
                    LLMFailed(
                        agentName: request.agentName, errorCode: failure.code.description, message: failure.message,
                        attempts: failure.attempts.map(LLMAttemptRecord.init))),
                causedBy: requested.seq)
            throw failure
        }
    }
}
