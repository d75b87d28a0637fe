import Foundation

extension OpenAICompatibleLLM {
    /// The JSON body of `POST /chat/completions`.
    struct ChatCompletionRequest: Encodable {
        struct Message: Encodable {
            var role: String
            var content: String
        }

        var model: String
        var messages: [Message]
        var maxTokens: Int?
        var temperature: Double?

        enum CodingKeys: String, CodingKey {
            case model, messages, temperature
            case maxTokens = "max_tokens"
        }

        init(_ request: LLMRequest, model: String) {
            self.model = model
            self.messages = request.messages.map { Message(role: $0.role, content: $0.content) }
            self.maxTokens = request.maxTokens
            // A non-finite temperature cannot be written as JSON; the endpoint's default is used instead.
            self.temperature = request.temperature.flatMap { $0.isFinite ? $0 : nil }
        }
    }

    /// The parts of a chat-completions answer that the client reads.
    struct ChatCompletionResponse: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable {
                var content: String?
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

    /// A usable answer: the first choice's text and the token counts (0 when the endpoint does not report usage).
    struct Completion: Sendable {
        var content: String
        var promptTokens: Int
        var completionTokens: Int

        /// Reads a 2xx body; `nil` when it is not JSON, has no choice, or its first choice has no text.
        init?(body: Data) {
            guard let decoded = try? JSONDecoder().decode(ChatCompletionResponse.self, from: body),
                let content = decoded.choices.first?.message?.content,
                !content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            else { return nil }
            self.content = content
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
