/// Which agents run after triage, by triage's data sufficiency (SPEC §5). Reporting is always last.
enum RunPlan {
    /// The agents after triage.
    static func agents(after sufficiency: DataSufficiency?) -> [AgentName] {
        switch sufficiency {
        case .sufficient: [.data, .optimization, .actions, .reporting]
        case .partial: [.dataHelper, .data, .reporting]
        case .insufficient: [.dataHelper, .reporting]
        case nil: [.reporting]
        }
    }
}
