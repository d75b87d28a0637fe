/// A chat-completion request: the messages, the tools offered, and who asks (for journaling and scripted
/// answers).
public struct LLMRequest: Sendable, Hashable, Codable {
    /// One chat message.
    public struct Message: Sendable, Hashable, Codable {
        /// `system`, `user`, `assistant` or `tool`.
        public var role: String
        /// The text; empty for an assistant message that only calls tools (sent as `null`).
        public var content: String
        /// The tools an assistant message called.
        public var toolCalls: [LLMToolCall]?
        /// The call a `tool` message answers.
        public var toolCallID: String?

        enum CodingKeys: String, CodingKey {
            case role, content, toolCalls = "tool_calls", toolCallID = "tool_call_id"
        }

        /// Creates a message.
        public init(role: String, content: String, toolCalls: [LLMToolCall]? = nil, toolCallID: String? = nil) {
            self.role = role
            self.content = content
            self.toolCalls = toolCalls
            self.toolCallID = toolCallID
        }
    }

    /// The agent making the call (`reporting`, …).
    public var agentName: String
    /// What the call is for (`llm_report_generation`, `tool_loop`, …).
    public var purpose: String
    /// The conversation sent to the model.
    public var messages: [Message]
    /// The most tokens the answer may use.
    public var maxTokens: Int?
    /// Sampling temperature; 0 for the most repeatable answers.
    public var temperature: Double?
    /// The tools the model may call (`tools`); empty for none.
    public var tools: [LLMToolDefinition]
    /// `auto`, `none` or `required` (`tool_choice`); nil for the endpoint's default.
    public var toolChoice: String?
    /// Whether the model may call several tools in one turn (`parallel_tool_calls`); nil for the default.
    public var parallelToolCalls: Bool?
    /// The model to ask instead of the client's own (an agent's ``ModelSettings/model``).
    public var model: String?
    /// The named endpoint to ask (an agent's ``ModelSettings/endpoint``; see ``ModelRouter``); nil for the
    /// server's default.
    public var endpoint: String?

    /// Creates a request.
    public init(
        agentName: String, purpose: String, messages: [Message], maxTokens: Int? = nil,
        temperature: Double? = nil, tools: [LLMToolDefinition] = [], toolChoice: String? = nil,
        parallelToolCalls: Bool? = nil, model: String? = nil, endpoint: String? = nil
    ) {
        self.agentName = agentName
        self.purpose = purpose
        self.messages = messages
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.tools = tools
        self.toolChoice = toolChoice
        self.parallelToolCalls = parallelToolCalls
        self.model = model
        self.endpoint = endpoint
    }
}

/// A tool as a language model is offered it: name, description and parameters (a JSON Schema).
public struct LLMToolDefinition: Sendable, Hashable, Codable {
    /// The tool's name.
    public var name: String
    /// What it does.
    public var description: String
    /// Its parameters as a JSON Schema object.
    public var parameters: JSONValue

    /// Creates a definition.
    public init(name: String, description: String, parameters: JSONValue) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }
}

/// A tool call a model asked for: its id (which the `tool` message answering it names), the tool, and the
/// arguments as the JSON text the model wrote (which may not be valid JSON).
public struct LLMToolCall: Sendable, Hashable, Codable {
    /// The call's id.
    public var id: String
    /// The tool's name.
    public var name: String
    /// The arguments, as JSON text.
    public var arguments: String

    /// Creates a call.
    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}
