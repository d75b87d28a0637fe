/// One sub-agent of a run: a fresh instance per run, working on a copy of the hand-off state.
protocol SubAgent: Sendable {
    /// The agent's name.
    var name: AgentName { get }
    /// This instance's id (in `agent_started`), fresh for every run.
    var instanceID: String { get }
    /// What the agent is asked to do, for `agent_started`.
    func taskDescription(for handoff: Handoff) -> String
    /// Does the work through the session (thinking, tools) and returns its summary and the updated hand-off.
    /// - Throws: ``AgentFailure`` when the agent cannot do its work; `CancellationError`; `JournalError`.
    func perform(_ session: AgentSession, handoff: Handoff) async throws -> AgentOutput
}
