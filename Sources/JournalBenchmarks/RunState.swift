/// The fold of one run's events, the same for every peer and every read phase.
///
/// `count += 1`; `user_message → pending`, `run_started → running`, `run_completed → completed`;
/// `agent_started | agent_completed → lastAgent = payload.agent`.
public struct RunState: Sendable, Hashable {
    /// The run's status after the events folded so far (`""` before the first one).
    public var status = ""
    /// The last agent that started or completed.
    public var lastAgent = ""
    /// How many events were folded.
    public var count = 0

    /// The state every run must reach once all its events are folded.
    public static let expected = RunState(status: "completed", lastAgent: "supervisor", count: Workload.eventsPerRun)

    /// Creates a state (empty by default).
    public init(status: String = "", lastAgent: String = "", count: Int = 0) {
        self.status = status
        self.lastAgent = lastAgent
        self.count = count
    }

    /// Folds one event, given its type string and its decoded payload.
    public mutating func apply(type: String, payload: RunPayload) {
        count += 1
        switch type {
        case "user_message": status = "pending"
        case "run_started": status = "running"
        case "run_completed": status = "completed"
        case "agent_started", "agent_completed": lastAgent = payload.agent
        default: break
        }
    }
}

extension RunState {
    /// Checks a phase's folds (outside its timer): one state per run, each `completed / supervisor / 12`.
    /// - Throws: `BenchmarkError` (`foldMismatch`) naming the first run that differs.
    static func check(
        _ states: some Collection<RunState>, runs: Int, peer: BenchmarkPeer, phase: BenchmarkPhase
    ) throws {
        guard states.count == runs else {
            throw BenchmarkError(
                code: .foldMismatch,
                message: "\(peer.rawValue) \(phase.rawValue) folded \(states.count) runs of \(runs)")
        }
        if let wrong = states.first(where: { $0 != .expected }) {
            throw BenchmarkError(
                code: .foldMismatch,
                message: "\(peer.rawValue) \(phase.rawValue) folded a run to \(wrong.status)/\(wrong.lastAgent)/"
                    + "\(wrong.count), expected completed/supervisor/12")
        }
    }
}
