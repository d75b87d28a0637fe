import Foundation

/// Puts a streamed chat completion back together, one server-sent event at a time: the first choice's text, its
/// tool calls, the usage of the final chunk, and whether `data: [DONE]` has arrived.
///
/// Tool-call fragments are gathered per `index`: a call's first fragment carries its `id` and `function.name`,
/// later ones append to `function.arguments`. Some servers number every parallel call `0`; a fragment whose `id`
/// differs from the id of the call open at its index starts a new call, so such calls are split by `id`. Calls
/// keep the order in which they started.
package struct ChatCompletionStreamAccumulator: Sendable {
    /// Why an event cannot be part of a chat-completions stream.
    package struct InvalidChunk: Error, Sendable, CustomStringConvertible {
        /// What was wrong (no model output is quoted).
        package var description: String
    }

    /// One tool call as its fragments arrive.
    private struct PartialCall: Sendable {
        var id: String
        var name: String
        var arguments: String
    }

    /// The text so far.
    package private(set) var content = ""
    /// `data: [DONE]` has arrived: the answer is complete.
    package private(set) var isDone = false
    /// The prompt tokens of the usage chunk (0 until it arrives).
    package private(set) var promptTokens = 0
    /// The completion tokens of the usage chunk (0 until it arrives).
    package private(set) var completionTokens = 0

    private var calls: [PartialCall] = []
    /// For each `index`, the position in `calls` of the call open at that index.
    private var openCall: [Int: Int] = [:]

    /// Creates an empty accumulator.
    package init() {}

    /// Reads one event and returns the text it adds (`nil` when it adds none).
    /// - Throws: ``InvalidChunk`` when the event is not a chat-completion chunk, or reports an error.
    package mutating func apply(_ event: ServerSentEventParser.Event) throws(InvalidChunk) -> String? {
        guard !isDone else { return nil }  // nothing after [DONE] counts
        if event.data.trimmingCharacters(in: .whitespaces) == "[DONE]" {
            isDone = true
            return nil
        }
        let chunk: OpenAICompatibleLLM.ChatCompletionChunk
        do {
            chunk = try JSONDecoder().decode(OpenAICompatibleLLM.ChatCompletionChunk.self, from: Data(event.data.utf8))
        } catch {
            throw InvalidChunk(description: "an event is not a chat-completion chunk (\(error))")
        }
        if chunk.error != nil { throw InvalidChunk(description: "the endpoint reported an error in the stream") }
        if let usage = chunk.usage {
            promptTokens = usage.promptTokens ?? promptTokens
            completionTokens = usage.completionTokens ?? completionTokens
        }
        // One choice is asked for; a server that sends others anyway is read for choice 0 only.
        guard let delta = chunk.choices?.first(where: { ($0.index ?? 0) == 0 })?.delta else { return nil }
        for fragment in delta.toolCalls ?? [] { add(fragment) }
        guard let text = delta.content, !text.isEmpty else { return nil }
        content += text
        return text
    }

    /// The answer once the stream is done: `nil` when it has neither text (other than white space) nor tool calls.
    /// A call whose fragments carried no id is named `call_<position>`.
    func completion() -> OpenAICompatibleLLM.Completion? {
        let toolCalls = calls.enumerated().map { position, call in
            LLMToolCall(id: call.id.isEmpty ? "call_\(position)" : call.id, name: call.name, arguments: call.arguments)
        }
        return OpenAICompatibleLLM.Completion(
            content: content, toolCalls: toolCalls, promptTokens: promptTokens, completionTokens: completionTokens)
    }

    /// The tool calls so far, in the order they started (ids as sent, possibly empty).
    package var toolCalls: [LLMToolCall] {
        calls.map { LLMToolCall(id: $0.id, name: $0.name, arguments: $0.arguments) }
    }

    private mutating func add(_ fragment: OpenAICompatibleLLM.ChatCompletionChunk.Choice.ToolCallDelta) {
        let index = fragment.index ?? 0
        let id = fragment.id ?? ""
        let position: Int
        if let open = openCall[index], id.isEmpty || calls[open].id.isEmpty || calls[open].id == id {
            position = open
            if calls[open].id.isEmpty { calls[open].id = id }
        } else {
            calls.append(PartialCall(id: id, name: "", arguments: ""))
            position = calls.count - 1
            openCall[index] = position
        }
        if let name = fragment.function?.name, !name.isEmpty, calls[position].name != name {
            // The name comes whole with the first fragment; a server that repeats it later does not double it,
            // one that sends it in pieces has them joined.
            calls[position].name = calls[position].name.isEmpty ? name : calls[position].name + name
        }
        calls[position].arguments += fragment.function?.arguments ?? ""
    }
}
