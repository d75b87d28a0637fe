/// A chat-completion request: the messages, and who asks (for journaling and scripted answers).
public struct LLMRequest: Sendable, Hashable, Codable {
    /// One chat message.
    public struct Message: Sendable, Hashable, Codable {
        /// `system`, `user` or `assistant`.
        public var role: String
        /// The text.
        public var content: String

        /// Creates a message.
        public init(role: String, content: String) {
            self.role = role
            self.content = content
        }
    }

    /// The agent making the call (`reporting`, …).
    public var agentName: String
    /// What the call is for (`llm_report_generation`, …).
    public var purpose: String
    /// The conversation sent to the model.
    public var messages: [Message]
    /// The most tokens the answer may use.
    public var maxTokens: Int?
    /// Sampling temperature; 0 for the most repeatable answers.
    public var temperature: Double?

    /// Creates a request.
    public init(
        agentName: String, purpose: String, messages: [Message], maxTokens: Int? = nil,
        temperature: Double? = nil
    ) {
        self.agentName = agentName
        self.purpose = purpose
        self.messages = messages
        self.maxTokens = maxTokens
        self.temperature = temperature
    }
}
