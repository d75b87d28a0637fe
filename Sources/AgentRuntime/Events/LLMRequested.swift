/// `llm_request`: what was sent to the language model.
///
/// The first request of an agent's tool loop (`turn` 1, or no `turn`) holds the whole conversation and the tools
/// offered; each later turn holds only the messages it adds (the model's previous answer and the tool results)
/// and no tools, so a long loop does not grow the journal quadratically. ``LLMRequested/conversation(of:)``
/// rebuilds the full request of each turn.
public struct LLMRequested: Codable, Sendable, Hashable {
    /// The agent asking.
    public var agentName: String
    /// What the call is for (`llm_report_generation`, `tool_loop`).
    public var purpose: String
    /// The model asked first.
    public var model: String
    /// The conversation sent — for a later turn of a tool loop, only what it adds to the previous turn.
    public var messages: [LLMRequest.Message]
    /// The tools offered, journaled with an agent's first turn only; absent when none were offered.
    public var tools: [LLMToolDefinition]?
    /// The turn of an agent's tool loop (1-based); absent for a single call.
    public var turn: Int?
    /// The version of the agent's instructions that the request was made with; absent when it has none.
    public var instructionsVersion: String?
    /// The named endpoint asked, when the agent names one.
    public var endpoint: String?

    enum CodingKeys: String, CodingKey {
        case agentName = "agent_name", purpose, model, messages, tools, turn,
            instructionsVersion = "instructions_version", endpoint
    }

    /// Creates the payload.
    public init(
        agentName: String, purpose: String, model: String, messages: [LLMRequest.Message],
        tools: [LLMToolDefinition]? = nil, turn: Int? = nil, instructionsVersion: String? = nil,
        endpoint: String? = nil
    ) {
        self.agentName = agentName
        self.purpose = purpose
        self.model = model
        self.messages = messages
        self.tools = tools
        self.turn = turn
        self.instructionsVersion = instructionsVersion
        self.endpoint = endpoint
    }

    /// The full conversation and tools of each request in `requests` (one agent's, in order): a later turn's
    /// messages are appended to the ones before it, and the tools of the first turn carry over.
    public static func conversation(of requests: [LLMRequested]) -> [(messages: [LLMRequest.Message], tools: [LLMToolDefinition])] {
        var result: [(messages: [LLMRequest.Message], tools: [LLMToolDefinition])] = []
        var messages: [LLMRequest.Message] = []
        var tools: [LLMToolDefinition] = []
        for request in requests {
            if (request.turn ?? 1) <= 1 {
                messages = request.messages
                tools = request.tools ?? []
            } else {
                messages += request.messages
                if let offered = request.tools { tools = offered }
            }
            result.append((messages, tools))
        }
        return result
    }
}
