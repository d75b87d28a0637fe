extension RunState {
    /// The fold's step for a decoded event (no I/O).
    mutating func apply(_ event: AgentEvent, seq: Int64, userID: String?, threadID: String?, recordedAt: String) {
        switch event {
        case .userMessage(let message):
            self.userID = userID
            self.threadID = threadID ?? message.threadID
            request = message.content
        case .messageReceived:
            break
        case .agentStarted(let started):
            agents.append(AgentState(name: started.agentName, status: .running, startedSeq: seq))
        case .agentThinking(let thinking):
            updateAgent(thinking.agentName) { $0.steps = max($0.steps, thinking.stepNumber) }
        case .toolExecuting(let executing):
            toolCalls.append(
                ToolCall(
                    executionID: executing.executionID, agentName: executing.agentName, toolName: executing.toolName,
                    parameters: executing.parameters, status: .running, startedSeq: seq))
        case .toolCompleted(let completed):
            if let index = toolCalls.lastIndex(where: { $0.executionID == completed.executionID }) {
                toolCalls[index].status = ToolCall.Status(completed.status)
                toolCalls[index].results = completed.results
                toolCalls[index].durationMs = completed.durationMs
                toolCalls[index].completedSeq = seq
            } else {
                toolCalls.append(
                    ToolCall(
                        executionID: completed.executionID, agentName: completed.agentName,
                        toolName: completed.toolName,
                        parameters: nil, status: ToolCall.Status(completed.status), results: completed.results,
                        durationMs: completed.durationMs, startedSeq: nil, completedSeq: seq))
            }
        case .agentError(let error):
            updateAgent(error.agentName) {
                $0.errorCode = error.errorCode
                $0.errorMessage = error.message
            }
        case .agentCompleted(let completed):
            updateAgent(completed.agentName) {
                $0.status = AgentState.Status(completed.status)
                $0.finalResponse = completed.finalResponse
                $0.durationMs = completed.durationMs
            }
        case .agentResponseDelta(let delta):
            if let index = responses.lastIndex(where: { $0.responseID == delta.responseID }) {
                responses[index].text += delta.delta
                responses[index].deltaCount += 1
                responses[index].lastSeq = seq
            } else {
                responses.append(
                    StreamedResponse(
                        responseID: delta.responseID, agentName: delta.agentName, text: delta.delta, deltaCount: 1,
                        firstSeq: seq, lastSeq: seq))
            }
        case .agentResponseReset(let reset):
            if let index = responses.lastIndex(where: { $0.responseID == reset.responseID }) {
                responses[index].reset = reset.reason
                responses[index].lastSeq = seq
            } else {
                responses.append(
                    StreamedResponse(
                        responseID: reset.responseID, agentName: reset.agentName, text: "", deltaCount: 0,
                        reset: reset.reason, firstSeq: seq, lastSeq: seq))
            }
        case .llmRequest(let request):
            llmCalls.append(
                LLMCall(
                    agentName: request.agentName, purpose: request.purpose, requestedModel: request.model,
                    requestedSeq: seq))
        case .llmResponse(let response):
            updateOpenLLMCall(of: response.agentName) {
                $0.status = .answered
                $0.answeredBy = response.model
                $0.promptTokens = response.promptTokens
                $0.completionTokens = response.completionTokens
                $0.latencyMs = response.latencyMs
                $0.attempts = response.attempts.count
                $0.answeredSeq = seq
            }
        case .llmFailed(let failed):
            updateOpenLLMCall(of: failed.agentName) {
                $0.status = .failed
                $0.errorCode = failed.errorCode
                $0.attempts = failed.attempts.count
                $0.answeredSeq = seq
            }
        case .runCompleted(let completed):
            end(
                Outcome(
                    status: .completed, finalResponse: completed.finalResponse, degraded: completed.degraded,
                    errorCode: nil, message: nil, seq: seq))
        case .runFailed(let failed):
            end(
                Outcome(
                    status: .failed, finalResponse: nil, degraded: false, errorCode: failed.errorCode,
                    message: failed.message, seq: seq))
        case .runCancelled(let cancelled):
            end(
                Outcome(
                    status: .cancelled, finalResponse: nil, degraded: false, errorCode: cancelled.errorCode,
                    message: cancelled.message, seq: seq))
        case .runRecovery, .connectionOpened, .connectionClosed, .inputRejected, .userSignedUp:
            break
        }
    }

    /// The run's outcome; its status, end time and current agent come from ``record``.
    private mutating func end(_ outcome: Outcome) {
        self.outcome = outcome
    }

    /// Updates the latest start of the named agent (an agent runs at most once per run; the latest wins).
    private mutating func updateAgent(_ name: String, _ update: (inout AgentState) -> Void) {
        guard let index = agents.lastIndex(where: { $0.name == name }) else { return }
        update(&agents[index])
    }

    private mutating func updateOpenLLMCall(of agent: String, _ update: (inout LLMCall) -> Void) {
        guard let index = llmCalls.lastIndex(where: { $0.agentName == agent && $0.status == .waiting }) else { return }
        update(&llmCalls[index])
    }
}
