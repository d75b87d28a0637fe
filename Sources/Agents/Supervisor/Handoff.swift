/// The state agents hand to the agents after them in one run: triage's classification and each agent's findings.
/// A value: each agent works on a copy, and the supervisor keeps the one it returns.
struct Handoff: Sendable, Hashable {
    /// Triage's verdict.
    struct Classification: Sendable, Hashable {
        var category: String
        var priority: String
        var dataSufficiency: DataSufficiency
    }

    /// The user's request.
    var request: String
    /// Triage's verdict, once triage has run.
    var classification: Classification?
    /// What data_helper found missing.
    var missingData: [String] = []
    /// What data extracted (`{value, unit, kind, text}` objects).
    var metrics: [JSONValue] = []
    /// Optimization's estimate.
    var estimate: JSONValue?
    /// Optimization's best option.
    var topOption: String?
    /// Actions' plan.
    var actions: [String] = []
    /// One line per agent that completed: what it found.
    var findings: [String] = []
    /// One line per agent that failed or was skipped: what could not be done.
    var failedSteps: [String] = []
    /// True when the answer is the deterministic fallback instead of the language model's.
    var usedFallbackReport = false

    /// The classification as tool parameters (`category`, `priority`, `data_sufficiency`).
    var classificationParameters: [String: JSONValue] {
        guard let classification else { return [:] }
        return [
            "category": .string(classification.category), "priority": .string(classification.priority),
            "data_sufficiency": .string(classification.dataSufficiency.rawValue),
        ]
    }
}
