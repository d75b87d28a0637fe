/// Makes a fresh supervisor and fresh sub-agents for every run, each with its own instance id: no agent
/// instance, and no mutable state, is shared between runs.
struct AgentFactory: Sendable {
    let makeID: @Sendable () -> String

    /// A new supervisor for one run.
    func makeSupervisor() -> Supervisor {
        Supervisor(instanceID: makeID(), factory: self)
    }

    /// A new instance of the named sub-agent; nil for the supervisor, which is made by ``makeSupervisor()``.
    func makeSubAgent(_ name: AgentName) -> (any SubAgent)? {
        switch name {
        case .supervisor: nil
        case .triage: TriageAgent(instanceID: makeID())
        case .dataHelper: DataHelperAgent(instanceID: makeID())
        case .data: DataAgent(instanceID: makeID())
        case .optimization: OptimizationAgent(instanceID: makeID())
        case .actions: ActionsAgent(instanceID: makeID())
        case .reporting: ReportingAgent(instanceID: makeID())
        }
    }
}
