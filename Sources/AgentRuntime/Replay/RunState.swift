import Journal

/// A run's state rebuilt from its events alone: the replay fold.
///
/// A pure state machine — ``apply(_:)`` does no I/O — so `goldenpath replay` is a fold over the run's stream, and a
/// test can compare the state replayed from the journal with the `runs` projection the server keeps. It follows
/// the `runs` projection's rules (status, agents, path, outcome) and adds what replay shows: each agent's status,
/// every tool call with its result, every LLM call with its model and tokens, and the frames sent per connection.
public struct RunState: Sendable, Hashable, Codable {
    /// The run.
    public var runID: String
    /// Its owner (the `user_id` of its `user_message`).
    public var userID: String?
    /// Its thread.
    public var threadID: String?
    /// The user's request.
    public var request: String?
    /// Where the run stands.
    public var status: RunStatus = .pending
    /// The agent that started last, while the run is open.
    public var currentAgent: String?
    /// Each agent in the order it started, with where it stands.
    public var agents: [AgentState] = []
    /// Every tool call, in the order it began.
    public var toolCalls: [ToolCall] = []
    /// Every language-model call, in the order it was requested.
    public var llmCalls: [LLMCall] = []
    /// The streamed answers (`agent_response_delta` and `agent_response_reset`), one per `response_id`, in the
    /// order they began.
    public var responses: [StreamedResponse] = []
    /// Triage's data sufficiency (`sufficient`, `partial`, `insufficient`), once known.
    public var path: String?
    /// How the run ended, once it has.
    public var outcome: Outcome?
    /// The number of the run's events applied.
    public var eventCount = 0
    /// The sequence number of the run's first event.
    public var firstSeq: Int64?
    /// The sequence number of the latest event applied.
    public var lastSeq: Int64?
    /// When the first event was recorded.
    public var startedAt: String?
    /// When the terminal event was recorded.
    public var endedAt: String?
    /// The frames written per connection id, in order.
    public var deliveries: [String: [FrameSent]] = [:]
    /// The run-level fold the `runs` projection also uses (``RunRecord/apply(_:seq:recordedAt:)``): the source of
    /// ``status``, ``currentAgent``, ``path`` and ``endedAt``.
    var record: RunRecord?

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", userID = "user_id", threadID = "thread_id", request, status
        case currentAgent = "current_agent", agents, toolCalls = "tool_calls", llmCalls = "llm_calls", responses, path
        case outcome, eventCount = "event_count", firstSeq = "first_seq", lastSeq = "last_seq", startedAt = "started_at"
        case endedAt = "ended_at", deliveries
    }

    /// The state of a run before its first event.
    public init(runID: String) {
        self.runID = runID
    }

    /// True once the run has its terminal event.
    public var hasEnded: Bool { outcome != nil }

    /// The agent names in the order they started (as the `runs.agents` column holds them).
    public var agentNames: [String] { agents.map(\.name) }

    /// Applies one event of the run.
    /// - Throws: ``RunStateError`` — `wrongRun` for an event of another run, `afterTerminal` for an event after
    ///   the terminal one, `undecodable` when the payload cannot be read (``AgentEventError`` as the cause).
    public mutating func apply(_ event: RecordedEvent) throws {
        _ = try applyDecoding(event)
    }

    /// ``apply(_:)``, returning the decoded event.
    @discardableResult
    mutating func applyDecoding(_ event: RecordedEvent) throws -> AgentEvent {
        try check(event)
        let decoded: AgentEvent
        do {
            decoded = try AgentEvent(recorded: event)
        } catch let error as AgentEventError {
            throw RunStateError(code: .undecodable, message: error.message, seq: event.seq)
        }
        applyChecked(decoded, of: event)
        return decoded
    }

    /// Applies an event already decoded (by ``RunReplayer/fold(_:runID:)``, which decodes concurrently).
    /// - Throws: ``RunStateError`` as ``apply(_:)``.
    mutating func apply(_ decoded: Result<AgentEvent, AgentEventError>, of event: RecordedEvent) throws {
        try check(event)
        switch decoded {
        case .success(let decoded): applyChecked(decoded, of: event)
        case .failure(let error): throw RunStateError(code: .undecodable, message: error.message, seq: event.seq)
        }
    }

    private func check(_ event: RecordedEvent) throws {
        guard event.runID == runID else {
            throw RunStateError(
                code: .wrongRun, message: "event \(event.seq) belongs to run \(event.runID ?? "none"), not \(runID)",
                seq: event.seq)
        }
        guard outcome == nil else {
            throw RunStateError(
                code: .afterTerminal, message: "event \(event.seq) (\(event.type)) comes after the run ended",
                seq: event.seq)
        }
    }

    private mutating func applyChecked(_ decoded: AgentEvent, of event: RecordedEvent) {
        eventCount += 1
        if firstSeq == nil {
            firstSeq = event.seq
            startedAt = event.recordedAt
        }
        lastSeq = event.seq
        var threadID: String?
        if case .userMessage(let message) = decoded { threadID = message.threadID }
        var record = self.record ?? RunRecord(opening: event, runID: runID, threadID: threadID)
        record.apply(RunRecord.Change(decoded), seq: event.seq, recordedAt: event.recordedAt)
        self.record = record
        status = record.status
        currentAgent = record.currentAgent
        path = record.path
        endedAt = record.endedAt
        apply(decoded, seq: event.seq, userID: event.userID, threadID: event.threadID, recordedAt: event.recordedAt)
    }

    /// Records the frames that carried one of the run's events.
    public mutating func record(_ frames: [FrameSent]) {
        for frame in frames {
            deliveries[frame.connectionID, default: []].append(frame)
        }
    }
}
