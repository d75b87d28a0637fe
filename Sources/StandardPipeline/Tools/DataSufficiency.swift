import AgentRuntime
/// How much of the data an answer needs the request holds: triage's verdict, which picks the agents.
public enum DataSufficiency: String, Sendable, Hashable, Codable, CaseIterable {
    /// Two or more quantities: data, optimization, actions, reporting.
    case sufficient
    /// One quantity: data_helper, data, reporting.
    case partial
    /// None: data_helper, reporting.
    case insufficient

    /// The verdict for a number of quantities found.
    public init(quantityCount: Int) {
        self = quantityCount >= 2 ? .sufficient : quantityCount == 1 ? .partial : .insufficient
    }
}
