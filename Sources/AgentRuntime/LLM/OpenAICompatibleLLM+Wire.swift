import Foundation

extension OpenAICompatibleLLM {
    /// The JSON body of `POST /chat/completions`.
    struct ChatCompletionRequest: Encodable {
        struct Message: Encodable {
            var role: String
            /// `null` for an assistant message that only calls tools.
            var content: String?
            var toolCalls: [ToolCall]?
            var toolCallID: String?

            enum CodingKeys: String, CodingKey {
                case role, content, toolCalls = "tool_calls", toolCallID = "tool_call_id"
            }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(role, forKey: .role)
                try container.encode(content, forKey: .content)  // null, not absent, when there is no text
                try container.encodeIfPresent(toolCalls, forKey: .toolCalls)
                try container.encodeIfPresent(toolCallID, forKey: .toolCallID)
            }
        }

        struct ToolCall: Codable {
            struct Function: Codable {
                var name: String
                var arguments: String
            }

            var id: String
            var type: String? = "function"
            var function: Function
        }

        struct Tool: Encodable {
            struct Function: Encodable {
                var name: String
                var description: String
                var parameters: JSONValue
            }

            var type = "function"
            var function: Function
        }

        var model: String
        var messages: [Message]
        var maxTokens: Int?
        var temperature: Double?
        var tools: [Tool]?
        var toolChoice: String?
        var parallelToolCalls: Bool?

        enum CodingKeys: String, CodingKey {
            case model, messages, temperature, tools
            case maxTokens = "max_tokens"
            case toolChoice = "tool_choice"
            case parallelToolCalls = "parallel_tool_calls"
        }

        init(_ request: LLMRequest, model: String) {
            self.model = model
            self.messages = request.messages.map { message in
                let calls = message.toolCalls.flatMap { $0.isEmpty ? nil : $0 }
                return Message(
                    role: message.role,
                    content: calls != nil && message.content.isEmpty ? nil : message.content,
                    toolCalls: calls?.map {
                        ToolCall(id: $0.id, function: ToolCall.Function(name: $0.name, arguments: $0.arguments))
                    },
                    toolCallID: message.toolCallID)
            }
            self.maxTokens = request.maxTokens
            // A non-finite temperature cannot be written as JSON; the endpoint's default is used instead.
            self.temperature = request.temperature.flatMap { $0.isFinite ? $0 : nil }
            if !request.tools.isEmpty {
                self.tools = request.tools.map {
                    Tool(
                        function: Tool.Function(
                            name: $0.name, description: $0.description, parameters: $0.parameters))
                }
                self.toolChoice = request.toolChoice
                self.parallelToolCalls = request.parallelToolCalls
            }
        }
    }

    /// The parts of a chat-completions answer that the client reads.
    struct ChatCompletionResponse: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable {
                var content: String?
                var toolCalls: [ChatCompletionRequest.ToolCall]?

                enum CodingKeys: String, CodingKey {
                    case content, toolCalls = "tool_calls"
                }
            }

            var message: Message?
        }

        struct Usage: Decodable {
            var promptTokens: Int?
            var completionTokens: Int?

            enum CodingKeys: String, CodingKey {
                case promptTokens = "prompt_tokens"
                case completionTokens = "completion_tokens"
            }
        }

        var choices: [Choice]
        var usage: Usage?
    }

    /// A usable answer: the first choice's text and tool calls, and the token counts (0 when the endpoint does
    /// not report usage).
    struct Completion: Sendable {
        var content: String
        var toolCalls: [LLMToolCall]
        var promptTokens: Int
        var completionTokens: Int

        /// Reads a 2xx body; `nil` when it is not JSON, has no choice, or its first choice has neither text nor
        /// tool calls.
        init?(body: Data) {
            guard let decoded = try? JSONDecoder().decode(ChatCompletionResponse.self, from: body),
                let message = decoded.choices.first?.message
            else { return nil }
            let calls = (message.toolCalls ?? []).map {
                LLMToolCall(id: $0.id, name: $0.function.name, arguments: $0.function.arguments)
            }
            let content = message.content ?? ""
            guard !calls.isEmpty || !content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                return nil
            }
            self.content = content
            self.toolCalls = calls
            self.promptTokens = decoded.usage?.promptTokens ?? 0
            self.completionTokens = decoded.usage?.completionTokens ?? 0
        }
    }

    /// How one attempt ended; ``rawValue`` is what ``LLMAttempt/outcome`` records.
    enum Outcome: Sendable, Hashable {
        case success
        case timeout
        case http(Int)
        case invalidResponse
        case transportError

        var rawValue: String {
            switch self {
            case .success: "success"
            case .timeout: "timeout"
            case .http(let status): "http_\(status)"
            case .invalidResponse: "invalid_response"
            case .transportError: "transport_error"
            }
        }

        /// Whether trying the same model again may help: timeouts, transport errors, 429, 5xx and garbage.
        /// Any other HTTP status (a 4xx: bad request, bad key, unknown model) goes straight to the fallback.
        var isRetryable: Bool {
            switch self {
            case .success: false
            case .timeout, .invalidResponse, .transportError: true
            case .http(let status): status == 429 || (500...599).contains(status)
            }
        }
    }
}
