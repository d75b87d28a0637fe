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
        /// `true` for a streamed answer; absent otherwise.
        var stream: Bool?
        /// With `stream`: `{"include_usage": true}`, so that the last chunk carries the token counts.
        var streamOptions: StreamOptions?

        struct StreamOptions: Encodable {
            var includeUsage = true

            enum CodingKeys: String, CodingKey {
                case includeUsage = "include_usage"
            }
        }

        enum CodingKeys: String, CodingKey {
            case model, messages, temperature, tools, stream
            case maxTokens = "max_tokens"
            case toolChoice = "tool_choice"
            case parallelToolCalls = "parallel_tool_calls"
            case streamOptions = "stream_options"
        }

        /// The body for `request` to `model`; `stream` asks for server-sent events with a final usage chunk.
        init(_ request: LLMRequest, model: String, stream: Bool = false) {
            self.model = model
            if stream {
                self.stream = true
                self.streamOptions = StreamOptions()
            }
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

    /// One `data:` event of a streamed answer (`chat.completion.chunk`): a piece of the first choice, or the final
    /// usage chunk (`choices: []`), or an error the endpoint reports in the stream.
    struct ChatCompletionChunk: Decodable {
        struct Choice: Decodable {
            struct Delta: Decodable {
                var content: String?
                var toolCalls: [ToolCallDelta]?

                enum CodingKeys: String, CodingKey {
                    case content, toolCalls = "tool_calls"
                }
            }

            /// A fragment of one tool call: the first carries `id` and `function.name`, later ones append to
            /// `function.arguments`.
            struct ToolCallDelta: Decodable {
                struct Function: Decodable {
                    var name: String?
                    var arguments: String?
                }

                var index: Int?
                var id: String?
                var function: Function?
            }

            var index: Int?
            var delta: Delta?
        }

        struct StreamError: Decodable {
            var message: String?
        }

        var choices: [Choice]?
        var usage: ChatCompletionResponse.Usage?
        var error: StreamError?
    }

    /// A usable answer: the first choice's text and tool calls, and the token counts (0 when the endpoint does
    /// not report usage).
    struct Completion: Sendable {
        var content: String
        var toolCalls: [LLMToolCall]
        var promptTokens: Int
        var completionTokens: Int

        /// An answer put together from its parts (a streamed answer); `nil` when it has neither text (other than
        /// white space) nor tool calls.
        init?(content: String, toolCalls: [LLMToolCall], promptTokens: Int, completionTokens: Int) {
            guard !toolCalls.isEmpty || !content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                return nil
            }
            self.content = content
            self.toolCalls = toolCalls
            self.promptTokens = promptTokens
            self.completionTokens = completionTokens
        }

        /// Reads a 2xx body; `nil` when it is not JSON, has no choice, or its first choice has neither text nor
        /// tool calls.
        init?(body: Data) {
            guard let decoded = try? JSONDecoder().decode(ChatCompletionResponse.self, from: body),
                let message = decoded.choices.first?.message
            else { return nil }
            let calls = (message.toolCalls ?? []).map {
                LLMToolCall(id: $0.id, name: $0.function.name, arguments: $0.function.arguments)
            }
            self.init(
                content: message.content ?? "", toolCalls: calls, promptTokens: decoded.usage?.promptTokens ?? 0,
                completionTokens: decoded.usage?.completionTokens ?? 0)
        }
    }

    /// How one attempt ended; ``rawValue`` is what ``LLMAttempt/outcome`` records.
    enum Outcome: Sendable, Hashable {
        case success
        case timeout
        case http(Int)
        case invalidResponse
        case transportError
        /// A streamed answer that ended (the connection closed or broke) before `data: [DONE]`.
        case incompleteStream

        var rawValue: String {
            switch self {
            case .success: "success"
            case .timeout: "timeout"
            case .http(let status): "http_\(status)"
            case .invalidResponse: "invalid_response"
            case .transportError: "transport_error"
            case .incompleteStream: "incomplete_stream"
            }
        }

        /// Whether trying the same model again may help: timeouts, transport errors, streams cut off, 429, 5xx and
        /// garbage.
        /// Any other HTTP status (a 4xx: bad request, bad key, unknown model) goes straight to the fallback.
        var isRetryable: Bool {
            switch self {
            case .success: false
            case .timeout, .invalidResponse, .transportError, .incompleteStream: true
            case .http(let status): status == 429 || (500...599).contains(status)
            }
        }
    }
}
