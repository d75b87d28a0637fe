@testable import AgentRuntime
import Testing

/// The server-sent-event parser and the chunk accumulator on their own: every way of cutting a body into pieces,
/// line ends, comments, the standard's field rules, tool-call fragments.
@Suite("OpenAI stream parsing")
struct OpenAIStreamParsingTests {
    typealias Event = ServerSentEventParser.Event

    /// Feeds `pieces` one after the other and returns every event dispatched.
    func events(_ pieces: [[UInt8]]) -> [Event] {
        var parser = ServerSentEventParser()
        return pieces.flatMap { parser.feed($0) }
    }

    /// `text` cut at `offsets`.
    func pieces(_ text: String, at offsets: [Int]) -> [[UInt8]] {
        let bytes = Array(text.utf8)
        var start = 0
        return (offsets + [bytes.count]).map { end in
            defer { start = end }
            return Array(bytes[start..<end])
        }
    }

    static let body =
        "\u{FEFF}: comment\r\n\r\n"
        + "data: one\r\n\r\n"
        + "data:two\n\n"
        + "event: update\rdata: three a\rdata:  three b\r\r"
        + "id: 1\nretry: 10\nunknown: x\ndata\n\n"
        + "data: größe 🌍\r\n\r\n"
        + ":only a comment\n\n"
        + "data: [DONE]\n\n"
        + "data: open at the end"

    static let expected = [
        Event(data: "one"), Event(data: "two"), Event(type: "update", data: "three a\n three b"), Event(data: ""),
        Event(data: "größe 🌍"), Event(data: "[DONE]"),
    ]

    @Test("the standard's rules: line ends, comments, one space dropped, multi-line data, empty data, BOM")
    func wholeBody() {
        #expect(events([Array(Self.body.utf8)]) == Self.expected)
    }

    @Test("cut in two at every byte offset, the events are the same")
    func everyTwoWaySplit() {
        let length = Self.body.utf8.count
        for offset in 1..<length {
            #expect(events(pieces(Self.body, at: [offset])) == Self.expected, "cut at \(offset)")
        }
    }

    @Test("fed one byte at a time, the events are the same")
    func byteByByte() {
        #expect(events(Self.body.utf8.map { [$0] }) == Self.expected)
    }

    @Test("a CRLF whose two bytes arrive apart is one line end, not a blank line")
    func splitCRLF() {
        let pieces: [[UInt8]] = [Array("data: a\r".utf8), Array("\ndata: b\r".utf8), Array("\n\r".utf8), Array("\n".utf8)]
        #expect(events(pieces) == [Event(data: "a\nb")])
    }

    @Test("an event still open when the body ends is not dispatched")
    func openEventDiscarded() {
        #expect(events([Array("data: complete\n\ndata: cut".utf8)]) == [Event(data: "complete")])
    }

    // MARK: - Chunks

    func accumulate(_ data: [String]) throws -> ChatCompletionStreamAccumulator {
        var accumulator = ChatCompletionStreamAccumulator()
        for datum in data { _ = try accumulator.apply(Event(data: datum)) }
        return accumulator
    }

    static func fragment(_ index: Int, id: String? = nil, name: String? = nil, arguments: String) -> String {
        let id = id.map { #""id":"\#($0)","type":"function","# } ?? ""
        let name = name.map { #""name":"\#($0)","# } ?? ""
        return #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":\#(index),\#(id)"function":{\#(name)"arguments":"\#(arguments)"}}]}}]}"#
    }

    @Test("fragments at index 0 with a new id start a new call; a repeated id or name continues the call")
    func toolCallFragments() throws {
        let accumulator = try accumulate([
            Self.fragment(0, id: "call_1", name: "a", arguments: ""),
            Self.fragment(0, arguments: "{\\\"x\\\":"),
            Self.fragment(0, id: "call_1", name: "a", arguments: "1}"),
            Self.fragment(0, id: "call_2", name: "b", arguments: "{}"),
            Self.fragment(1, id: "call_3", name: "c", arguments: "["),
            Self.fragment(0, arguments: ""),
            Self.fragment(1, arguments: "]"),
            "[DONE]",
        ])
        #expect(
            accumulator.toolCalls == [
                LLMToolCall(id: "call_1", name: "a", arguments: #"{"x":1}"#),
                LLMToolCall(id: "call_2", name: "b", arguments: "{}"),
                LLMToolCall(id: "call_3", name: "c", arguments: "[]"),
            ])
        #expect(accumulator.isDone)
        #expect(accumulator.completion()?.toolCalls.count == 3)
    }

    @Test("calls without ids are named by position; text, usage, and nothing after [DONE]")
    func contentUsageAndDone() throws {
        var accumulator = try accumulate([
            #"{"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}"#,
            #"{"choices":[{"index":0,"delta":{"content":"Hi"}}],"usage":null}"#,
            #"{"choices":[{"index":1,"delta":{"content":"other choice"}}]}"#,
            Self.fragment(0, name: "f", arguments: "{}"),
            #"{"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}"#,
            " [DONE] ",
        ])
        #expect(try accumulator.apply(Event(data: #"{"choices":[{"index":0,"delta":{"content":"late"}}]}"#)) == nil)
        #expect(accumulator.content == "Hi")
        #expect(accumulator.promptTokens == 5 && accumulator.completionTokens == 2)
        #expect(accumulator.completion()?.toolCalls == [LLMToolCall(id: "call_0", name: "f", arguments: "{}")])
    }

    @Test("an event that is not JSON, or an error event, is an invalid chunk")
    func invalidChunks() {
        var accumulator = ChatCompletionStreamAccumulator()
        #expect(throws: ChatCompletionStreamAccumulator.InvalidChunk.self) {
            try accumulator.apply(Event(data: "{nope"))
        }
        #expect(throws: ChatCompletionStreamAccumulator.InvalidChunk.self) {
            try accumulator.apply(Event(data: #"{"error":{"message":"overloaded"}}"#))
        }
    }
}
