import AgentRuntime
import Foundation

extension StubLLMServer {
    /// The text of server-sent events as an OpenAI-compatible endpoint streams them (`chat.completion.chunk`), for
    /// composing the bodies of ``Behaviour/stream(_:)`` scripts.
    ///
    /// Every builder returns one whole event, `data: <json>` and a blank line; the JSON has sorted keys, so a body
    /// built from the same parts is always the same bytes.
    ///
    /// ```swift
    /// let body = SSE.content("Hel") + SSE.content("lo") + SSE.finish("stop") + SSE.usage(5, 2) + SSE.done
    /// server.script([.stream(StreamStep.split(body, at: [7, 40]))])
    /// ```
    public enum SSE {
        /// The end of the stream: `data: [DONE]`.
        public static let done = "data: [DONE]\n\n"

        /// A chunk whose first choice's delta is `fragment` of the answer's text.
        public static func content(_ fragment: String) -> String {
            event(Chunk(choices: [.init(delta: .init(content: fragment))]))
        }

        /// The first chunk of an answer: the delta names the role and has empty content, as OpenAI sends it.
        public static func role() -> String {
            event(Chunk(choices: [.init(delta: .init(role: "assistant", content: ""))]))
        }

        /// A chunk with one tool-call fragment at `index`: the first fragment of a call carries `id` and `name`
        /// (and usually empty `arguments`), later ones only a piece of `arguments`.
        public static func toolCall(index: Int, id: String? = nil, name: String? = nil, arguments: String) -> String {
            let fragment = Chunk.ToolCall(
                index: index, id: id, type: id == nil ? nil : "function",
                function: .init(name: name, arguments: arguments))
            return event(Chunk(choices: [.init(delta: .init(toolCalls: [fragment]))]))
        }

        /// The chunk that ends the first choice, with its `finish_reason` (`stop`, `tool_calls`, `length`).
        public static func finish(_ reason: String) -> String {
            event(Chunk(choices: [.init(delta: .init(), finishReason: reason)]))
        }

        /// The usage chunk that `stream_options.include_usage` asks for: `choices: []` and the token counts.
        public static func usage(promptTokens: Int, completionTokens: Int) -> String {
            event(
                Chunk(
                    choices: [],
                    usage: .init(
                        promptTokens: promptTokens, completionTokens: completionTokens,
                        totalTokens: promptTokens + completionTokens)))
        }

        /// A whole answer streamed as `tokens`: the role chunk, a chunk per token, `finish_reason` `stop`, the
        /// usage chunk and `[DONE]`.
        public static func answer(_ tokens: [String], promptTokens: Int = 11, completionTokens: Int = 7) -> String {
            role() + tokens.map(content).joined() + finish("stop")
                + usage(promptTokens: promptTokens, completionTokens: completionTokens) + done
        }

        /// `data: <json>` and the blank line that dispatches it.
        public static func event(json: String) -> String { "data: \(json)\n\n" }

        private static func event(_ chunk: Chunk) -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            // Encoding these plain structs cannot fail; an empty object would make the test that uses it fail.
            let data = (try? encoder.encode(chunk)) ?? Data("{}".utf8)
            return event(json: String(decoding: data, as: UTF8.self))
        }

        /// A `chat.completion.chunk` as the stub writes it.
        private struct Chunk: Encodable {
            struct Choice: Encodable {
                var index = 0
                var delta: Delta
                var finishReason: String?

                enum CodingKeys: String, CodingKey {
                    case index, delta, finishReason = "finish_reason"
                }

                func encode(to encoder: any Encoder) throws {
                    var container = encoder.container(keyedBy: CodingKeys.self)
                    try container.encode(index, forKey: .index)
                    try container.encode(delta, forKey: .delta)
                    try container.encode(finishReason, forKey: .finishReason)  // null until the last chunk
                }
            }

            struct Delta: Encodable {
                var role: String?
                var content: String?
                var toolCalls: [ToolCall]?

                enum CodingKeys: String, CodingKey {
                    case role, content, toolCalls = "tool_calls"
                }
            }

            struct ToolCall: Encodable {
                struct Function: Encodable {
                    var name: String?
                    var arguments: String
                }

                var index: Int
                var id: String?
                var type: String?
                var function: Function
            }

            struct Usage: Encodable {
                var promptTokens: Int
                var completionTokens: Int
                var totalTokens: Int

                enum CodingKeys: String, CodingKey {
                    case promptTokens = "prompt_tokens"
                    case completionTokens = "completion_tokens"
                    case totalTokens = "total_tokens"
                }
            }

            var id = "chatcmpl-stub"
            var object = "chat.completion.chunk"
            var created = 0
            var model = "stub"
            var choices: [Choice]
            var usage: Usage?
        }
    }
}
