/// Picks the next agent of a run, or finishes it, from what ran so far.
///
/// Called before the first agent and after every agent, with the run's state and history. A planner may change
/// the state (to record why it skipped an agent, say); the change is passed to the agents after it and journaled
/// with the next `agent_completed`. A handoff (``AgentResult/handoff``) runs before the planner is asked again.
public protocol Planner<State>: Sendable {
    /// The pipeline's run state.
    associatedtype State: Codable & Sendable

    /// The next step of the run.
    func next(_ progress: inout RunProgress<State>) -> PlanStep
}

/// What a planner sees: the run's request, its state, every agent that ran (or was skipped) and the time left.
public struct RunProgress<State: Codable & Sendable>: Sendable {
    /// The user's message.
    public let request: String
    /// The run state; a planner may change it.
    public var state: State
    /// The agents that ran or were skipped, in order.
    public internal(set) var history: [AgentOutcome]
    /// The time left of the run's budget (``AgentsConfiguration/runTimeout``).
    public internal(set) var remaining: Duration

    /// The latest outcome of the agent `name`, if it ran or was skipped.
    public func outcome(of name: AgentName) -> AgentOutcome? {
        history.last { $0.agent == name }
    }

    /// Creates a progress value (the runtime makes them; tests of a planner may too).
    public init(request: String, state: State, history: [AgentOutcome] = [], remaining: Duration) {
        self.request = request
        self.state = state
        self.history = history
        self.remaining = remaining
    }
}

/// How one agent of a run ended, as a planner sees it.
public struct AgentOutcome: Sendable, Hashable {
    /// How it ended.
    public enum Status: Sendable, Hashable {
        /// It did its work.
        case completed
        /// It failed (`agent_error` + `agent_completed {failed}`).
        case failed
        /// It ran out of time (`agent_completed {timeout}`).
        case timedOut
        /// The planner skipped it; nothing was journaled.
        case skipped
    }

    /// The agent.
    public var agent: AgentName
    /// How it ended.
    public var status: Status
    /// Its summary, when it completed.
    public var summary: String?
    /// Why it failed, timed out or was skipped.
    public var failure: AgentFailure?
    /// The agent it handed off to, if any.
    public var handoff: AgentName?

    /// Creates an outcome.
    public init(
        agent: AgentName, status: Status, summary: String? = nil, failure: AgentFailure? = nil,
        handoff: AgentName? = nil
    ) {
        self.agent = agent
        self.status = status
        self.summary = summary
        self.failure = failure
        self.handoff = handoff
    }

    /// True when the agent did its work.
    public var succeeded: Bool { status == .completed }
}

/// A planner's decision.
public enum PlanStep: Sendable, Hashable {
    /// Run this agent, within `timeLimit` (nil: ``AgentsConfiguration/agentTimeout``, cut to the run's budget).
    case run(AgentName, timeLimit: Duration? = nil)
    /// Skip this agent: it is recorded in the history as skipped, with the reason, and nothing is journaled.
    case skip(AgentName, reason: String)
    /// End the run: the pipeline's ``Pipeline/answer`` writes the final response.
    case finish
}
