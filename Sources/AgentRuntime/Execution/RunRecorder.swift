import Journal
import Synchronization

/// Appends one run's events to its stream `run:<run_id>`, owned by the run's user, with deterministic event ids
/// (`<run_id>:<n>`), so the pipeline never places an event anywhere else.
///
/// A recorder that resumes a run (``init(journal:resuming:)``) does not append the events the run journaled
/// before: it checks that the re-execution produces each of them again (``ComparedEvent``) and hands back the
/// journaled one; once it has reproduced the last of them it journals `run_recovery {resumed}`, before anything
/// runs live, and appends from there.
final class RunRecorder: Sendable {
    private struct State {
        var nextIndex: Int
        var lastSeq: Int64?
        /// The journaled events not yet reproduced, by index.
        var journaled: [Int: RecordedEvent] = [:]
        /// The `run_recovery {resumed}` (and the `agent_response_reset {recovery}` of the answers that were streaming
        /// when the process stopped) to append with the first new event.
        var announcement: [NewEvent] = []
        /// The number of the last `response_id` (`r<n>`) handed out or journaled.
        var lastResponse = 0
        /// Set once a resumed run has diverged: every later event is refused with it.
        var divergence: ResumeDivergence?
        /// The tool calls journaled so far (`tool_executing` events), for ``nextToolCallIndex()``.
        var toolCalls = 0
        /// Set once an append of the run failed: events the recorder was answered for may not be in the journal.
        var appendFailed = false
    }

    let journal: EventJournal
    let context: UserExecutionContext
    /// How the run's streamed answers are coalesced.
    let streaming: StreamingPolicy
    private let state: Mutex<State>

    /// A recorder whose first event gets index `firstIndex` (after `user_message` (1) and `message_received` (2)),
    /// following the run's latest recorded event `lastSeq`.
    init(
        journal: EventJournal, context: UserExecutionContext, firstIndex: Int = 3, lastSeq: Int64? = nil,
        streaming: StreamingPolicy = StreamingPolicy()
    ) {
        self.journal = journal
        self.context = context
        self.streaming = streaming
        self.state = Mutex(State(nextIndex: firstIndex, lastSeq: lastSeq))
    }

    /// A recorder that resumes the run of `plan`.
    /// - Throws: ``AgentEventError`` when the `run_recovery` cannot be encoded.
    init(journal: EventJournal, resuming plan: ResumePlan, streaming: StreamingPolicy = StreamingPolicy()) throws {
        self.journal = journal
        self.context = plan.context
        self.streaming = streaming
        self.state = Mutex(
            State(
                nextIndex: 3, lastSeq: plan.messageReceivedSeq, journaled: plan.journaled,
                announcement: try plan.resumedEvents(), lastResponse: plan.lastResponseNumber))
    }

    /// The sequence number of the latest event this recorder appended or reproduced (or the one it started after).
    var lastSeq: Int64? { state.withLock { $0.lastSeq } }

    var stream: String { EventStreams.run(context.runID) }

    /// The position of the run's next tool call (0-based, in `tool_executing` order): deterministic, since a
    /// run's tool calls are journaled one after another, so a re-execution numbers its calls the same way.
    func nextToolCallIndex() -> Int {
        state.withLock { state in
            defer { state.toolCalls += 1 }
            return state.toolCalls
        }
    }

    /// The lowest index of a journaled event the re-execution has not reproduced, if any (resuming only).
    var firstUnreproducedIndex: Int? { state.withLock { $0.journaled.keys.min() } }

    /// The first place where a resumed run's re-execution differed from its journal, if it did.
    var divergence: ResumeDivergence? { state.withLock { $0.divergence } }

    /// Appends an event after checking that the run has not been cancelled — or, while resuming, checks it against
    /// the journaled event at its place and returns that one.
    /// - Throws: `CancellationError` when the run's task is cancelled (nothing is appended), `JournalError` when
    ///   the journal refuses the append, ``AgentEventError`` when the payload cannot be encoded,
    ///   ``ResumeDivergence`` when a resumed run produces something else than it journaled.
    @discardableResult
    func record(_ event: AgentEvent, causedBy causationSeq: Int64?) async throws -> RecordedEvent {
        try Task.checkCancellation()
        let (index, journaled, remaining, announcement) = try state.withLock { state in
            if let divergence = state.divergence { throw divergence }
            defer { state.nextIndex += 1 }
            let journaled = state.journaled.removeValue(forKey: state.nextIndex)
            return (state.nextIndex, journaled, state.journaled.keys.min(), state.announcement)
        }
        let newEvent = try event.newEvent(metadata(eventID: "\(context.runID):\(index)", causedBy: causationSeq))
        if let journaled {
            let fields = ComparedEvent.differences(
                ComparedEvent(journaled, position: index), ComparedEvent(newEvent, position: index))
            guard fields.isEmpty else { throw diverged(ResumeDivergence(index: index, fields: fields)) }
            state.withLock { $0.lastSeq = max($0.lastSeq ?? 0, journaled.seq) }
            if remaining == nil {
                // Caught up: journal the decision before anything runs live, so that a run which brings the
                // process down again counts as resumed (``AgentsConfiguration/maximumResumeAttempts``).
                try await finishCatchingUp()
            }
            return journaled
        }
        if let remaining { throw diverged(ResumeDivergence(index: remaining, fields: ["event"])) }
        // A tool's side effects come after its tool_executing is durable; every other step only needs its place
        // in the journal's order (docs/JOURNAL.md, "What an append waits for").
        let completion: AppendCompletion = event.type == .toolExecuting || !announcement.isEmpty ? .committed : .ordered
        return try await append(announcement + [newEvent], completion: completion)[announcement.count]
    }

    /// A new `response_id` for a streamed answer (`r1`, `r2`, … in the run, after every one journaled before a
    /// restart); nil while a resumed run still reproduces its journal, whose answers were streamed already.
    func nextResponseID() -> String? {
        state.withLock { state in
            guard state.journaled.isEmpty else { return nil }
            state.lastResponse += 1
            return "r\(state.lastResponse)"
        }
    }

    /// Appends an event of a streamed answer (``EventType/isStreamedAnswer``) with the event id
    /// `<run_id>:<suffix>`, outside the run's step numbering.
    /// - Throws: `CancellationError` when the run's task is cancelled (nothing is appended); `JournalError`;
    ///   ``AgentEventError``; the divergence of a resumed run that diverged.
    @discardableResult
    func recordStreamed(_ event: AgentEvent, eventID suffix: String, causedBy causationSeq: Int64?) async throws
        -> RecordedEvent
    {
        try Task.checkCancellation()
        let announcement = try state.withLock { state in
            if let divergence = state.divergence { throw divergence }
            return state.announcement
        }
        let newEvent = try event.newEvent(metadata(eventID: "\(context.runID):\(suffix)", causedBy: causationSeq))
        return try await append(announcement + [newEvent], completion: announcement.isEmpty ? .ordered : .committed)[
            announcement.count]
    }

    /// Remembers a divergence so that every later event is refused too (an agent that catches the first error
    /// cannot go on recording).
    private func diverged(_ divergence: ResumeDivergence) -> ResumeDivergence {
        state.withLock { state in
            if state.divergence == nil { state.divergence = divergence }
            return state.divergence ?? divergence
        }
    }

    /// Journals the pending `run_recovery {resumed}` of a resumed run (the recorder calls it once the last journaled
    /// event is reproduced; the coordinator before a terminal event). Does nothing when it is journaled already.
    /// - Throws: `JournalError` when the journal refuses it.
    func finishCatchingUp() async throws {
        let announcement = state.withLock { $0.announcement }
        guard !announcement.isEmpty else { return }
        _ = try await append(announcement, completion: .committed)
    }

    /// Appends events as they are, outside the run's numbering (recovery decisions); `completion` says whether it
    /// returns at the commit or once the events hold their place in the journal's order (``AppendCompletion``).
    /// - Throws: `JournalError` when the journal refuses it (also for the loss of an earlier ordered append).
    func append(_ events: [NewEvent], completion: AppendCompletion = .committed) async throws -> [RecordedEvent] {
        let recorded: [RecordedEvent]
        do {
            recorded = try await journal.append(events, to: stream, completion: completion).events
        } catch {
            state.withLock { $0.appendFailed = true }
            throw error
        }
        state.withLock { state in
            state.announcement = []
            state.lastSeq = max(state.lastSeq ?? 0, recorded.last?.seq ?? 0)
        }
        return recorded
    }

    /// What the run's terminal event is caused by: the latest event the recorder appended or reproduced — or,
    /// once an append of the run failed (an ordered append may then have been lost, its `seq` given to another
    /// event), the latest event of the run's stream in the journal.
    func terminalCause() async -> Int64? {
        guard state.withLock({ $0.appendFailed }) else { return lastSeq }
        do {
            return try await journal.stream(stream).last?.seq ?? lastSeq
        } catch {
            return lastSeq
        }
    }

    /// The metadata of an event of this run (the correlation id is the run id).
    func metadata(eventID: String, causedBy causationSeq: Int64?) -> EventMetadata {
        EventMetadata(
            eventID: eventID, userID: context.userID, threadID: context.threadID, runID: context.runID,
            causationSeq: causationSeq, correlationID: context.runID)
    }

    /// The event id of a run's one terminal event: a second, different terminal event cannot be appended.
    static func terminalEventID(runID: String) -> String { "\(runID):terminal" }
}
