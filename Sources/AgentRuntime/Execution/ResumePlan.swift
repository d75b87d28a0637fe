import Journal

/// How start-up recovery resumes one run an earlier process left open: the run's journaled events, which the
/// re-execution must reproduce one for one (``RunRecorder`` checks them instead of appending), and the journaled
/// LLM answers and tool outputs fed back to it, so that no completed step is done twice.
struct ResumePlan: Sendable {
    /// Why a run cannot be resumed; it is ended `run_failed {INTERRUPTED}` with this reason journaled.
    struct Refusal: Error, Sendable {
        var reason: String
    }

    /// The run's ids.
    let context: UserExecutionContext
    /// The user's message.
    let content: String
    /// The sequence number of the run's `message_received`.
    let messageReceivedSeq: Int64
    /// The run's journaled events.
    let events: [RecordedEvent]
    /// The events the pipeline recorded (event id `<run_id>:<index>`, index ≥ 3), by index.
    let journaled: [Int: RecordedEvent]
    /// The sequence number of the run's latest event.
    let lastSeq: Int64
    /// The event id of this recovery's `run_recovery`: `<run_id>:recovery:<n>` for the run's n-th recovery.
    let recoveryEventID: String
    /// The answers that were streaming when the process stopped (deltas journaled, no reset, and their model call
    /// unanswered): the call is made again, so their text is reset (`recovery`).
    let interruptedResponses: [(responseID: String, agentName: String, call: Int64)]
    /// The highest `r<n>` among the run's journaled response ids (0 for none).
    let lastResponseNumber: Int

    /// The plan for the run whose stream is `events`.
    /// - Throws: ``Refusal`` when the run cannot be resumed: it has no `user_message` or `message_received`, an
    ///   event does not decode, or it was already resumed `maximumAttempts` times.
    init(runID: String, events: [RecordedEvent], maximumAttempts: Int) throws(Refusal) {
        var message: UserMessage?
        var receivedSeq: Int64?
        var resumes = 0
        var journaled: [Int: RecordedEvent] = [:]
        var streamed = StreamedResponses()
        for event in events {
            let decoded: AgentEvent
            do {
                decoded = try AgentEvent(recorded: event)
            } catch {
                throw Refusal(reason: "event \(event.seq) cannot be read by this version: \(error)")
            }
            switch decoded {
            case .userMessage(let recorded): message = recorded
            case .messageReceived: receivedSeq = event.seq
            case .runRecovery(let recovery):
                if recovery.decision == .resumed { resumes += 1 }
            case .agentResponseDelta(let delta):
                streamed.began(delta.responseID, agentName: delta.agentName, call: event.causationSeq)
            case .agentResponseReset(let reset):
                streamed.reset(reset.responseID)
            case .llmResponse, .llmFailed:
                if let request = event.causationSeq { streamed.answered(request) }
                if let index = Self.index(ofEventID: event.eventID, runID: runID), index >= 3 {
                    journaled[index] = event
                }
            default:
                if let index = Self.index(ofEventID: event.eventID, runID: runID), index >= 3 {
                    journaled[index] = event
                }
            }
        }
        guard let message, let receivedSeq, let userID = events.first?.userID, let last = events.last else {
            throw Refusal(reason: "the run has no user_message and message_received")
        }
        guard resumes < maximumAttempts else {
            throw Refusal(reason: "the run was resumed \(resumes) times already and did not end")
        }
        guard journaled.isEmpty || Set(journaled.keys) == Set(3..<(3 + journaled.count)) else {
            throw Refusal(reason: "the run's recorded steps are not contiguous")
        }
        context = UserExecutionContext(
            userID: userID, threadID: message.threadID, runID: runID, requestID: message.clientMessageID ?? runID)
        content = message.content
        messageReceivedSeq = receivedSeq
        self.events = events
        self.journaled = journaled
        lastSeq = last.seq
        recoveryEventID = Self.nextRecoveryEventID(runID: runID, events: events)
        interruptedResponses = streamed.interrupted
        lastResponseNumber = streamed.lastNumber
    }

    /// What a run streamed, for ``interruptedResponses``.
    private struct StreamedResponses {
        var order: [String] = []
        var agents: [String: String] = [:]
        var calls: [String: Int64] = [:]
        var resets: Set<String> = []
        var answeredCalls: Set<Int64> = []

        mutating func began(_ responseID: String, agentName: String, call: Int64?) {
            guard agents[responseID] == nil else { return }
            order.append(responseID)
            agents[responseID] = agentName
            calls[responseID] = call
        }

        mutating func reset(_ responseID: String) { resets.insert(responseID) }
        mutating func answered(_ request: Int64) { answeredCalls.insert(request) }

        var interrupted: [(responseID: String, agentName: String, call: Int64)] {
            order.compactMap { id in
                guard !resets.contains(id), let call = calls[id], !answeredCalls.contains(call) else { return nil }
                return (id, agents[id] ?? "", call)
            }
        }

        /// The highest `n` of the ids `r<n>` (ids of another form are not counted).
        var lastNumber: Int {
            (order + Array(resets)).compactMap { $0.first == "r" ? Int($0.dropFirst()) : nil }.max() ?? 0
        }
    }

    /// The language model of the resumed run: the journaled answers first, then `live`.
    /// - Throws: ``Refusal`` when a journaled answer does not decode.
    func llm(continuingWith live: any LLMClient) throws(Refusal) -> any LLMClient {
        do {
            return try RecordedLLM(recording: events, continuingWith: live)
        } catch {
            throw Refusal(reason: "the run's language-model answers cannot be read: \(error)")
        }
    }

    /// The tools of the resumed run: each gives its journaled outputs first, then runs live. A tool that called
    /// the language model runs live from the start (fed by ``llm(continuingWith:)``) so that its journaled LLM
    /// events are reproduced too.
    /// - Throws: ``Refusal`` when a journaled output does not decode.
    func tools(continuingWith live: ToolRegistry) throws(Refusal) -> ToolRegistry {
        let outputs: RecordedTool.Outputs
        do {
            outputs = try RecordedTool.Outputs(recording: events)
        } catch {
            throw Refusal(reason: "the run's tool outputs cannot be read: \(error)")
        }
        let callingTheLLM = RunVerifier.toolsCallingTheLLM(in: events)
        var tools = live
        for name in live.names where !callingTheLLM.contains(name) {
            guard let tool = live[name] else { continue }
            tools = tools.replacing(RecordedTool(outputs: outputs, continuingWith: tool))
        }
        return tools
    }

    /// The `run_recovery {resumed}` a resumed run journals once its re-execution has caught up, followed by an
    /// `agent_response_reset {recovery}` for each of its ``interruptedResponses``.
    /// - Throws: ``AgentEventError`` when they cannot be encoded.
    func resumedEvents() throws -> [NewEvent] {
        var events = [try decision(.resumed, reason: "resumed from its last completed step after a restart")]
        for (responseID, agentName, call) in interruptedResponses {
            events.append(
                try AgentEvent.agentResponseReset(
                    AgentResponseReset(agentName: agentName, responseID: responseID, reason: .recovery)
                ).newEvent(
                    EventMetadata(
                        eventID: "\(context.runID):\(responseID):reset", userID: context.userID,
                        threadID: context.threadID, runID: context.runID, causationSeq: call,
                        correlationID: context.runID)))
        }
        return events
    }

    /// A `run_recovery` with this recovery's event id.
    /// - Throws: ``AgentEventError`` when it cannot be encoded.
    func decision(_ decision: RunRecovery.Decision, reason: String) throws -> NewEvent {
        try AgentEvent.runRecovery(RunRecovery(decision: decision, reason: reason, lastSeq: lastSeq)).newEvent(
            EventMetadata(
                eventID: recoveryEventID, userID: context.userID, threadID: context.threadID, runID: context.runID,
                causationSeq: lastSeq, correlationID: context.runID))
    }

    /// The index `n` of an event id `<run_id>:<n>`, or nil for other ids.
    static func index(ofEventID eventID: String, runID: String) -> Int? {
        guard eventID.hasPrefix(runID), eventID.dropFirst(runID.count).first == ":" else { return nil }
        return Int(eventID.dropFirst(runID.count + 1))
    }

    /// The event id of the next `run_recovery` of a run whose stream is `events`: `<run_id>:recovery:<n>` for its
    /// n-th recovery.
    static func nextRecoveryEventID(runID: String, events: [RecordedEvent]) -> String {
        "\(runID):recovery:\(events.count { $0.type == EventType.runRecovery.rawValue } + 1)"
    }
}
