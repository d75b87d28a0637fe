import Journal

/// One journaled language-model call: `llm_request` before, the streamed answer (``ResponseStreamer``), then
/// `llm_response` or `llm_failed`, secrets in the tool-call arguments redacted wherever they are journaled.
struct LLMCall: Sendable {
    let llm: any LLMClient
    let recorder: RunRecorder

    /// What to journal of the request besides its messages.
    struct Journaled: Sendable {
        /// The messages to journal (a later turn's: only those it adds); nil for all of them.
        var messages: [LLMRequest.Message]?
        /// Journal the tools offered (an agent's first turn).
        var includeTools = true
        var turn: Int?
        var instructionsVersion: String?
        /// Parameter names to redact in tool-call arguments, by tool name.
        var secretParameters: [String: Set<String>] = [:]
    }

    /// The answer and the sequence number of its `llm_response`.
    struct Answer: Sendable {
        var response: LLMResponse
        var seq: Int64
    }

    /// Asks the model and returns its answer.
    /// - Throws: ``LLMError`` when no attempt produced an answer (after journaling `llm_failed`);
    ///   `CancellationError`; `JournalError`; ``ResumeDivergence``.
    func complete(
        _ request: LLMRequest, causedBy cause: Int64?,
        accepting accepts: @escaping @Sendable (LLMResponse) -> Bool = { _ in true }
    ) async throws -> LLMResponse {
        try await answer(request, journaled: Journaled(), causedBy: cause, accepting: accepts).response
    }

    /// Asks the model, journaling the request as `journaled` says.
    func answer(
        _ request: LLMRequest, journaled: Journaled, causedBy cause: Int64?,
        accepting accepts: @escaping @Sendable (LLMResponse) -> Bool = { _ in true }
    ) async throws -> Answer {
        let secrets = journaled.secretParameters
        let messages = (journaled.messages ?? request.messages).map { Self.redacted($0, secrets: secrets) }
        let requested = try await recorder.record(
            .llmRequest(
                LLMRequested(
                    agentName: request.agentName, purpose: request.purpose, model: llm.modelName(for: request),
                    messages: messages,
                    tools: journaled.includeTools && !request.tools.isEmpty ? request.tools : nil,
                    turn: journaled.turn, instructionsVersion: journaled.instructionsVersion,
                    endpoint: request.endpoint)),
            causedBy: cause)
        do {
            let llm = llm
            var streamer = ResponseStreamer(recorder: recorder, agentName: request.agentName, cause: requested.seq)
            streamer.accepts = accepts
            let response = try await streamer.run { handler in try await llm.stream(request, handler: handler) }
            var journaledResponse = response
            journaledResponse.toolCalls = response.toolCalls.map { Self.redacted($0, secrets: secrets) }
            let recorded = try await recorder.record(
                .llmResponse(LLMResponded(agentName: request.agentName, response: journaledResponse)),
                causedBy: requested.seq)
            return Answer(response: response, seq: recorded.seq)
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

    /// A tool call with its secret arguments redacted (arguments that are not a JSON object are kept as text:
    /// there is no name to tell a secret by).
    static func redacted(_ call: LLMToolCall, secrets: [String: Set<String>]) -> LLMToolCall {
        guard case .object = (try? JSONValue(parsing: call.arguments)) ?? .null,
            let arguments = try? JSONValue(parsing: call.arguments)
        else { return call }
        var redacted = call
        redacted.arguments = arguments.redactingSecrets(named: secrets[call.name] ?? []).jsonText
        return redacted
    }

    /// A message with the secret arguments of its tool calls redacted.
    static func redacted(_ message: LLMRequest.Message, secrets: [String: Set<String>]) -> LLMRequest.Message {
        guard let calls = message.toolCalls else { return message }
        var copy = message
        copy.toolCalls = calls.map { redacted($0, secrets: secrets) }
        return copy
    }
}
