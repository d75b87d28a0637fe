import AgentRuntime

/// The run state of the standard pipeline: triage's classification and what each agent found, handed from agent
/// to agent (each works on a copy) and journaled with every `agent_completed`.
public struct StandardRunState: Codable, Sendable, Hashable {
    /// Triage's verdict.
    public struct Classification: Codable, Sendable, Hashable {
        /// `cost`, `performance`, `reliability`, `capacity` or `general`.
        public var category: String
        /// `high`, `medium` or `low`.
        public var priority: String
        /// How much of the data an answer needs the request holds.
        public var dataSufficiency: DataSufficiency

        enum CodingKeys: String, CodingKey {
            case category, priority, dataSufficiency = "data_sufficiency"
        }
    }

    /// The user's request.
    public var request: String
    /// Triage's verdict, once triage has run.
    public var classification: Classification?
    /// What data_helper found missing.
    public var missingData: [String] = []
    /// What data extracted (`{value, unit, kind, text}` objects).
    public var metrics: [JSONValue] = []
    /// Optimization's estimate.
    public var estimate: JSONValue?
    /// Optimization's best option.
    public var topOption: String?
    /// Actions' plan.
    public var actions: [String] = []
    /// One line per agent that completed: what it found.
    public var findings: [String] = []
    /// One line per agent that failed or was skipped: what could not be done.
    public var failedSteps: [String] = []
    /// True when the answer is the deterministic fallback instead of the language model's.
    public var usedFallbackReport = false

    enum CodingKeys: String, CodingKey {
        case request, classification, missingData = "missing_data", metrics, estimate, topOption = "top_option",
            actions, findings, failedSteps = "failed_steps", usedFallbackReport = "used_fallback_report"
    }

    /// The state a run starts with.
    public init(request: String) {
        self.request = request
    }

    /// The classification as tool parameters (`category`, `priority`, `data_sufficiency`).
    var classificationParameters: [String: JSONValue] {
        guard let classification else { return [:] }
        return [
            "category": .string(classification.category), "priority": .string(classification.priority),
            "data_sufficiency": .string(classification.dataSufficiency.rawValue),
        ]
    }
}
