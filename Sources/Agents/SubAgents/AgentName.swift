/// The agents of a run, as their names appear in `agent_name`.
public enum AgentName: String, Sendable, Hashable, CaseIterable, Codable {
    /// Runs triage, picks the other agents, and gives the answer.
    case supervisor
    /// Classifies the request (category, priority, data sufficiency).
    case triage
    /// Says what data the request lacks.
    case dataHelper = "data_helper"
    /// Extracts the request's numbers.
    case data
    /// Estimates the change and ranks options (needs data).
    case optimization
    /// Plans the actions for the best option (needs optimization).
    case actions
    /// Writes the answer with the language model; never fails the run.
    case reporting

    /// The agent whose result this one needs: skipped when that one failed or was skipped.
    public var dependency: AgentName? {
        switch self {
        case .optimization: .data
        case .actions: .optimization
        case .supervisor, .triage, .dataHelper, .data, .reporting: nil
        }
    }
}
