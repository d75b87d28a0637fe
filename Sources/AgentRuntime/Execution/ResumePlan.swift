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

    /// The plan for the run whose stream is `events`.
    /// - Throws: ``Refusal`` when the run cannot be resumed: it has no `user_message` or `message_received`, an
    ///   event does not decode, or it was already resumed `maximumAttempts` times.
    init(runID: String, events: [RecordedEvent], maximumAttempts: Int) throws(Refusal) {
        var message: UserMessage?
        var receivedSeq: Int64?
        var resumes = 0
        var journaled: [Int: RecordedEvent] = [:]
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

    /// The `run_recovery {resumed}` a resumed run journals once its re-execution has caught up.
    /// - Throws: ``AgentEventError`` when it cannot be encoded.
    func resumedEvent() throws -> NewEvent {
        try decision(.resumed, reason: "resumed from its last completed step after a restart")
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
