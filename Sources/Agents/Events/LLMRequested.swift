/// `llm_request`: what was sent to the language model.
public struct LLMRequested: Codable, Sendable, Hashable {
    /// The agent asking.
    public var agentName: String
    /// What the call is for (`llm_report_generation`).
    public var purpose: String
    /// The model asked first.
    public var model: String
    /// The conversation sent.
    public var messages: [LLMRequest.Message]

    enum CodingKeys: String, CodingKey {
        case agentName = "agent_name", purpose, model, messages
    }

    /// Creates the payload.
    public init(agentName: String, purpose: String, model: String, messages: [LLMRequest.Message]) {
        self.agentName = agentName
        self.purpose = purpose
        self.model = model
        self.messages = messages
    }
}
