import AgentRuntime

extension StubLLMServer {
    /// One step of a streamed answer (``Behaviour/stream(_:)``): the stub plays the steps in order on one
    /// `text/event-stream` response.
    ///
    /// Writes are raw bytes, so a test chooses the chunk boundaries: lines split across writes, `\r\n`, comments,
    /// anything. ``SSE`` composes the events; the static builders here turn them into steps.
    ///
    /// ```swift
    /// server.script([
    ///     .stream(
    ///         [.write(SSE.role())] + StreamStep.tokens(["Hel", "lo"]) + [.pause(.milliseconds(50))]
    ///             + [.usage(promptTokens: 5, completionTokens: 2), .done])
    /// ])
    /// ```
    public enum StreamStep: Sendable {
        /// Writes these bytes as one piece of the body (one HTTP chunk; the client may still read several
        /// pieces at once).
        case bytes([UInt8])
        /// Waits before the next step. A pause still waiting when the stub shuts down ends at once.
        case pause(Duration)
        /// Waits until `condition` returns before the next step (a test holds a token back until it has seen what
        /// it expects, e.g. a delta in the journal). Cancelled when the stub shuts down.
        case waitUntil(@Sendable () async -> Void)
        /// Closes the connection here: the response ends without its last chunk and without `[DONE]`.
        case cutOff
        /// Sends nothing more until the client closes the connection, then records that close (see
        /// ``StubLLMServer/nextClientClose(within:)``) and ends the response. Cancelled when the stub shuts down.
        case waitForClientClose

        /// Writes `text` (UTF-8) as one piece.
        public static func write(_ text: String) -> StreamStep { .bytes(Array(text.utf8)) }

        /// One content chunk per token, each written as one piece.
        public static func tokens(_ tokens: [String]) -> [StreamStep] {
            tokens.map { .write(SSE.content($0)) }
        }

        /// The tool-call fragments of `calls`, one chunk per fragment, as a model streams parallel calls: each
        /// call's first fragment carries its id, name and empty arguments, then its arguments follow in
        /// `argumentPieces` pieces; the calls are streamed one after the other.
        ///
        /// The calls are numbered by `index` 0, 1, …, or all `0` with `reusingIndexZero` (as some servers do;
        /// the client must then split them by id).
        public static func toolCalls(
            _ calls: [LLMToolCall], argumentPieces: Int = 2, reusingIndexZero: Bool = false
        ) -> [StreamStep] {
            calls.enumerated().flatMap { index, call -> [StreamStep] in
                let wireIndex = reusingIndexZero ? 0 : index
                let first = StreamStep.write(SSE.toolCall(index: wireIndex, id: call.id, name: call.name, arguments: ""))
                let rest = pieces(of: call.arguments, count: argumentPieces).map {
                    StreamStep.write(SSE.toolCall(index: wireIndex, arguments: $0))
                }
                return [first] + rest
            }
        }

        /// A whole answer as a model streams it: the role chunk, `content` word by word (each word with the white
        /// space after it), the fragments of `toolCalls` (see ``toolCalls(_:argumentPieces:reusingIndexZero:)``),
        /// `finish_reason` (`tool_calls` or `stop`), the usage chunk and `[DONE]`, each written as one piece. This
        /// is how the stub streams ``Behaviour/answer(_:promptTokens:completionTokens:)``, ``Behaviour/reply(_:)``
        /// and ``Behaviour/toolCalls(_:content:)`` to a client that asks for a stream.
        public static func answer(
            _ content: String, toolCalls calls: [LLMToolCall] = [], promptTokens: Int = 11, completionTokens: Int = 7
        ) -> [StreamStep] {
            [.write(SSE.role())] + tokens(words(of: content)) + toolCalls(calls)
                + [
                    .write(SSE.finish(calls.isEmpty ? "stop" : "tool_calls")),
                    .usage(promptTokens: promptTokens, completionTokens: completionTokens), .done,
                ]
        }

        /// `text` cut after each run of white space: `"Hello big world"` is `["Hello ", "big ", "world"]`.
        static func words(of text: String) -> [String] {
            var words: [String] = []
            var current = ""
            for character in text {
                if !character.isWhitespace, let last = current.last, last.isWhitespace {
                    words.append(current)
                    current = ""
                }
                current.append(character)
            }
            if !current.isEmpty { words.append(current) }
            return words
        }

        /// The usage chunk (`choices: []`).
        public static func usage(promptTokens: Int, completionTokens: Int) -> StreamStep {
            .write(SSE.usage(promptTokens: promptTokens, completionTokens: completionTokens))
        }

        /// `data: [DONE]`.
        public static let done = StreamStep.write(SSE.done)

        /// `body` (UTF-8) written in pieces cut at these byte offsets (sorted, duplicates and offsets outside the
        /// body ignored), so that a test can put chunk boundaries anywhere, even inside a UTF-8 character.
        public static func split(_ body: String, at offsets: [Int]) -> [StreamStep] {
            let bytes = Array(body.utf8)
            var cuts = Set(offsets.filter { $0 > 0 && $0 < bytes.count }).sorted()
            cuts.append(bytes.count)
            var start = 0
            return cuts.map { end in
                defer { start = end }
                return .bytes(Array(bytes[start..<end]))
            }
        }

        /// `text` cut into `count` pieces of about the same number of characters (fewer when it is shorter).
        static func pieces(of text: String, count: Int) -> [String] {
            let characters = Array(text)
            guard count > 1, characters.count > 1 else { return [text] }
            let size = (characters.count + count - 1) / count
            return stride(from: 0, to: characters.count, by: size).map {
                String(characters[$0..<min($0 + size, characters.count)])
            }
        }
    }

    /// A client close the stub saw while it was streaming an answer.
    public struct ClientClose: Sendable, Hashable {
        /// The position of the streamed call in ``StubLLMServer/requests`` (0 for the first call received).
        public var requestIndex: Int
        /// The model the call asked for.
        public var model: String
        /// The index in the call's steps of the step the stub had not played yet when it saw the close: for a
        /// close awaited by ``StreamStep/waitForClientClose``, the step after it (the write it held back).
        public var nextStep: Int
        /// How many ``StreamStep/bytes(_:)`` steps it had written before the close.
        public var writesSent: Int
        /// When the stub saw the close.
        public var observedAt: ContinuousClock.Instant
    }
}
