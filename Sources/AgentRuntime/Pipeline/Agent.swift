/// One agent of a pipeline: a name, what it is asked to do, and a body that works through an ``AgentSession``
/// (journaled thinking, tool calls and language-model calls) on the run's state.
///
/// Agents are values shared by every run; what a run owns is passed in: the session (ids, journal) and a copy
/// of the run's state, which the agent returns changed. Write a Swift body for deterministic work, or use
/// ``ToolLoopAgent`` for an agent whose language model chooses the tools.
///
/// ```swift
/// struct Greeter: Agent {
///     let name: AgentName = "greeter"
///     func taskDescription(for state: Chat) -> String { "Say hello" }
///     func run(_ session: AgentSession, state: Chat) async throws -> AgentResult<Chat> {
///         try await session.think("Looking up the user's name.")
///         let profile = try await session.use("lookup_profile", ["user": .string(state.user)])
///         return AgentResult(summary: "Hello, \(profile["name"]?.stringValue ?? "you")!", state: state)
///     }
/// }
/// ```
public protocol Agent<State>: Sendable {
    /// The run state the pipeline passes between its agents.
    associatedtype State: Codable & Sendable

    /// The agent's name (`agent_name`).
    var name: AgentName { get }

    /// What the agent is asked to do, for `agent_started`.
    func taskDescription(for state: State) -> String

    /// Does the agent's work and returns its summary (`final_response` of its `agent_completed`) and the state
    /// for the agents after it.
    /// - Throws: ``AgentFailure`` when the agent cannot do its work (the run goes on, degraded, as the planner
    ///   decides); `CancellationError` when the run is stopped. Any other error is reported as `AGENT_FAILED`.
    func run(_ session: AgentSession, state: State) async throws -> AgentResult<State>
}

/// What an agent produced.
public struct AgentResult<State: Codable & Sendable>: Sendable {
    /// The agent's result in words: its `agent_completed`'s `final_response`.
    public var summary: String
    /// The run state after the agent.
    public var state: State
    /// The agent to pass control to next, before the planner is asked again (a handoff); nil to let the planner
    /// choose.
    public var handoff: AgentName?

    /// Creates a result.
    public init(summary: String, state: State, handoff: AgentName? = nil) {
        self.summary = summary
        self.state = state
        self.handoff = handoff
    }
}
