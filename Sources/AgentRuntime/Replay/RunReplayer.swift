import Journal

/// Rebuilds a run's state from the journal, event by event, with ``RunState`` — the same fold for every caller —
/// and reports each transition with the frames that carried the event.
public struct RunReplayer: Sendable {
    /// The journal read (only read: replay never writes).
    public let journal: EventJournal

    /// Creates a replayer over a journal.
    public init(journal: EventJournal) {
        self.journal = journal
    }

    /// What a replay produced.
    public struct Replay: Sendable, Hashable {
        /// Every event applied, in order, with what it changed.
        public var transitions: [RunTransition]
        /// The state after the last event applied.
        public var state: RunState
    }

    /// Folds the run's events (stream `run:<run_id>`), stopping after the event `until` when given.
    /// - Throws: ``RunStateError`` — `unknownRun` when the journal has no such run, or what ``RunState/apply(_:)``
    ///   throws; `JournalError` when the journal cannot be read.
    public func replay(runID: String, until: Int64? = nil) async throws -> Replay {
        var events = try await journal.stream(EventStreams.run(runID))
        if let until { events = events.filter { $0.seq <= until } }
        // The `deliveries` table itself, not the `run_deliveries` view: replay opens a journal read-only, and a
        // journal written by older code has no such view.
        let rows = try await journal.rows(
            RowQuery(
                from: "deliveries", columns: ["seq", "connection_id", "recipient_user_id", "frame_type"],
                where: [.isIn("seq", events.map { .integer($0.seq) })], orderBy: ["seq", "id"]))
        var frames: [Int64: [RunState.FrameSent]] = [:]
        for row in rows {
            let frame = RunState.FrameSent(
                seq: row["seq"]?.integerValue ?? 0, connectionID: row["connection_id"]?.textValue ?? "",
                recipientUserID: row["recipient_user_id"]?.textValue ?? "", frameType: row["frame_type"]?.textValue ?? "")
            frames[frame.seq, default: []].append(frame)
        }
        guard !events.isEmpty else {
            throw RunStateError(code: .unknownRun, message: "the journal has no run \(runID)")
        }
        var state = RunState(runID: runID)
        var transitions: [RunTransition] = []
        transitions.reserveCapacity(events.count)
        for (index, event) in events.enumerated() {
            let before = state
            let decoded = try state.applyDecoding(event)
            let sent = frames[event.seq] ?? []
            state.record(sent)
            var changes = state.changes(since: before)
            for frame in sent {
                changes.append(
                    "sent \(frame.frameType) to \(frame.recipientUserID) on connection \(frame.connectionID)")
            }
            transitions.append(
                RunTransition(
                    position: index + 1, seq: event.seq, type: event.type, agentName: decoded.agentName,
                    toolName: decoded.toolName, changes: changes, status: state.status,
                    currentAgent: state.currentAgent,
                    frames: sent))
        }
        return Replay(transitions: transitions, state: state)
    }

    /// Folds events into a run's state without recording transitions (the fast path).
    ///
    /// Decoding the payloads is most of the work and needs no state, so it runs on every core; the fold itself
    /// applies the decoded events in order, one by one, and throws at the first event it cannot apply.
    /// - Throws: what ``RunState/apply(_:)`` throws.
    public static func fold(_ events: [RecordedEvent], runID: String) throws -> RunState {
        let decoded = ConcurrentDecoder.decode(events)
        var state = RunState(runID: runID)
        for (event, result) in zip(events, decoded) {
            try state.apply(result, of: event)
        }
        return state
    }
}

extension AgentEvent {
    /// The tool the event concerns, when there is one.
    var toolName: String? {
        switch self {
        case .toolExecuting(let payload): payload.toolName
        case .toolCompleted(let payload): payload.toolName
        default: nil
        }
    }
}
