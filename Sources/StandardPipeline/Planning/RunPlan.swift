import AgentRuntime

/// Which agents run after triage, by triage's data sufficiency (SPEC §5). Reporting is always last.
public enum RunPlan {
    /// The agents after triage.
    public static func agents(after sufficiency: DataSufficiency?) -> [AgentName] {
        switch sufficiency {
        case .sufficient: [.data, .optimization, .actions, .reporting]
        case .partial: [.dataHelper, .data, .reporting]
        case .insufficient: [.dataHelper, .reporting]
        case nil: [.reporting]
        }
    }

    /// The agent whose result an agent needs: it is skipped when that one failed or was skipped.
    public static func dependency(of agent: AgentName) -> AgentName? {
        switch agent {
        case .optimization: .data
        case .actions: .optimization
        default: nil
        }
    }
}
