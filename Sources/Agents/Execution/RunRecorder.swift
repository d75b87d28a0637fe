import Journal
import Synchronization

/// Appends one run's events to its stream `run:<run_id>`, owned by the run's user, with deterministic event ids
/// (`<run_id>:<n>`), so the pipeline never places an event anywhere else.
final class RunRecorder: Sendable {
    let journal: EventJournal
    let context: UserExecutionContext
    private let state: Mutex<(nextIndex: Int, lastSeq: Int64?)>

    /// A recorder whose first event gets index `firstIndex` (after `user_message` (1) and `message_received` (2)),
    /// following the run's latest recorded event `lastSeq`.
    init(journal: EventJournal, context: UserExecutionContext, firstIndex: Int = 3, lastSeq: Int64? = nil) {
        self.journal = journal
        self.context = context
        self.state = Mutex((firstIndex, lastSeq))
    }

    /// The sequence number of the latest event this recorder appended (or the one it started after).
    var lastSeq: Int64? { state.withLock { $0.lastSeq } }

    var stream: String { EventStreams.run(context.runID) }

    /// Appends an event after checking that the run has not been cancelled.
    /// - Throws: `CancellationError` when the run's task is cancelled (nothing is appended), `JournalError` when
    ///   the journal refuses the append, ``AgentEventError`` when the payload cannot be encoded.
    @discardableResult
    func record(_ event: AgentEvent, causedBy causationSeq: Int64?) async throws -> RecordedEvent {
        try Task.checkCancellation()
        let index = state.withLock { state in
            defer { state.nextIndex += 1 }
            return state.nextIndex
        }
        let newEvent = try event.newEvent(metadata(eventID: "\(context.runID):\(index)", causedBy: causationSeq))
        let recorded = try await journal.append(newEvent, to: stream)
        state.withLock { $0.lastSeq = max($0.lastSeq ?? 0, recorded.seq) }
        return recorded
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
