import Journal

extension RunRecord {
    /// The record of a run whose first event is `event` (its `user_message`), before that event is applied.
    init(opening event: RecordedEvent, runID: String, threadID: String?) {
        self.init(
            runID: runID, userID: event.userID ?? "", threadID: event.threadID ?? threadID ?? "", status: .pending,
            currentAgent: nil, eventCount: 0, startedAt: event.recordedAt, endedAt: nil, degraded: false,
            errorCode: nil, finalResponse: nil, agents: [], path: nil, firstSeq: event.seq, lastSeq: event.seq)
    }

    /// What one event changes in its run's record.
    enum Change: Sendable, Hashable {
        /// Counted only.
        case counted
        /// An agent started.
        case agentStarted(String)
        /// A tool call ended; `path` is the path its result names, if it succeeded and names one.
        case toolCompleted(path: String?)
        /// A terminal event.
        case ended(RunStatus, errorCode: String?, answer: String?, degraded: Bool)

        /// The change `event` makes.
        init(_ event: AgentEvent) {
            switch event {
            case .agentStarted(let started): self = .agentStarted(started.agentName)
            case .toolCompleted(let completed):
                self = .toolCompleted(path: completed.status == .success ? RunPath.named(by: completed.results) : nil)
            case .runCompleted(let completed):
                self = .ended(.completed, errorCode: nil, answer: completed.finalResponse, degraded: completed.degraded)
            case .runFailed(let failed): self = .ended(.failed, errorCode: failed.errorCode, answer: nil, degraded: false)
            case .runCancelled(let cancelled):
                self = .ended(.cancelled, errorCode: cancelled.errorCode, answer: nil, degraded: false)
            case .userMessage, .messageReceived, .agentThinking, .toolExecuting, .agentCompleted, .agentError,
                .agentResponseDelta, .agentResponseReset, .llmRequest, .llmResponse, .llmFailed, .runRecovery, .connectionOpened, .connectionClosed,
                .inputRejected, .userSignedUp:
                self = .counted
            }
        }
    }

    /// The run-status rules, in one place: the `runs` projection and `replay`'s ``RunState`` both fold them.
    ///
    /// Every event counts; the first `agent_started` makes a pending run running and each names the current
    /// agent (agents are listed once, in the order they first started); a successful tool result may name the
    /// run's path (``RunPath``); the first terminal event ends the run with its status, answer, `degraded` and
    /// error code. Nothing moves an ended run but the count (and the current agent).
    mutating func apply(_ change: Change, seq: Int64, recordedAt: String) {
        eventCount += 1
        lastSeq = seq
        switch change {
        case .counted:
            break
        case .agentStarted(let name):
            if status == .pending { status = .running }
            currentAgent = name
            if !agents.contains(name) { agents.append(name) }
        case .toolCompleted(let named):
            if let named { path = named }
        case .ended(let status, let errorCode, let answer, let degraded):
            end(status, at: recordedAt, errorCode: errorCode, answer: answer, degraded: degraded)
        }
    }

    private mutating func end(_ status: RunStatus, at time: String, errorCode: String?, answer: String?, degraded: Bool) {
        guard endedAt == nil else { return }
        self.status = status
        endedAt = time
        self.errorCode = errorCode
        finalResponse = answer
        self.degraded = degraded
        currentAgent = nil
    }

    /// The `runs` table.
    static let table = ProjectionTable(
        name: "runs", key: ["run_id"],
        columns: [
            .init("run_id", .text), .init("user_id", .text), .init("thread_id", .text), .init("status", .text),
            .init("current_agent", .text), .init("event_count", .integer), .init("started_at", .text),
            .init("ended_at", .text), .init("degraded", .integer), .init("error_code", .text),
            .init("final_response", .text), .init("agents", .text), .init("path", .text),
            .init("first_seq", .integer), .init("last_seq", .integer),
        ])

    /// The id of a run's row.
    static func rowID(_ runID: String) -> ProjectionRow.ID {
        ProjectionRow.ID(table: "runs", key: [.text(runID)])
    }

    /// The record a `runs` row holds.
    init(row: ProjectionRow) {
        func text(_ column: String) -> String? { row[column]?.textValue }
        func integer(_ column: String) -> Int64 { row[column]?.integerValue ?? 0 }
        self.init(
            runID: text("run_id") ?? "", userID: text("user_id") ?? "", threadID: text("thread_id") ?? "",
            status: text("status").flatMap(RunStatus.init(rawValue:)) ?? .pending, currentAgent: text("current_agent"),
            eventCount: Int(integer("event_count")), startedAt: text("started_at") ?? "", endedAt: text("ended_at"),
            degraded: integer("degraded") != 0, errorCode: text("error_code"), finalResponse: text("final_response"),
            agents: (text("agents") ?? "").split(separator: ",").map(String.init), path: text("path"),
            firstSeq: integer("first_seq"), lastSeq: integer("last_seq"))
    }

    /// The record as the `runs` table's row.
    var row: ProjectionRow {
        ProjectionRow(
            table: "runs", key: ["run_id"],
            columns: [
                ("run_id", .text(runID)), ("user_id", .text(userID)), ("thread_id", .text(threadID)),
                ("status", .text(status.rawValue)), ("current_agent", .text(currentAgent)),
                ("event_count", .integer(Int64(eventCount))), ("started_at", .text(startedAt)),
                ("ended_at", .text(endedAt)), ("degraded", .boolean(degraded)), ("error_code", .text(errorCode)),
                ("final_response", .text(finalResponse)), ("agents", .text(agents.joined(separator: ","))),
                ("path", .text(path)), ("first_seq", .integer(firstSeq)), ("last_seq", .integer(lastSeq)),
            ])
    }
}
