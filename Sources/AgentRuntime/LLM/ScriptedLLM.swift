import Synchronization

/// A deterministic, offline language model: it answers from the request itself.
///
/// The answer quotes the user's request, summarizes the findings listed in the prompt (and what is missing), and
/// ends with a "Next steps:" list. It reports the model `scripted-1` and counts tokens as words. A ``Behavior``
/// injects faults per agent and per call number: a fixed answer, a delay, failures, garbage. With ``Streaming``
/// it streams each answer in pieces of a few words at a set pace (on an injected clock in tests); without, it
/// reports each answer as one piece.
public final class ScriptedLLM: LLMClient {
    /// The model name it reports.
    public static let model = "scripted-1"

    /// How the scripted model streams its answers.
    public struct Streaming: Sendable {
        /// Words per piece (at least 1); the whitespace after a word goes with it.
        public var wordsPerChunk: Int
        /// The wait before each piece after the first.
        public var pace: Duration
        /// The clock the pace waits on.
        public var clock: any TimeLimitClock

        /// Streams `wordsPerChunk` words per piece, `pace` apart, on `clock` (default: real time).
        public init(wordsPerChunk: Int = 1, pace: Duration = .zero, clock: any TimeLimitClock = DispatchTimeLimitClock()) {
            self.wordsPerChunk = max(1, wordsPerChunk)
            self.pace = pace
            self.clock = clock
        }
    }

    /// The faults to inject.
    public let behavior: Behavior
    /// How answers stream; nil: each answer is one piece.
    public let streaming: Streaming?
    private let calls = Mutex(CallCounts())

    private struct CallCounts {
        var total = 0
        var byAgent: [String: Int] = [:]
    }

    /// Creates the model with a behavior (by default, always answering normally) and a way of streaming (by
    /// default, each answer as one piece).
    public init(behavior: Behavior = .normal, streaming: Streaming? = nil) {
        self.behavior = behavior
        self.streaming = streaming
    }

    /// Answers like ``complete(_:)``, reporting the answer in pieces when ``streaming`` is set.
    /// - Throws: as ``complete(_:)``; `CancellationError` when cancelled between pieces.
    public func stream(_ request: LLMRequest, handler: @escaping LLMStreamHandler) async throws -> LLMResponse {
        handler(.attemptStarted(model: Self.model, number: 1, isFallback: false))
        let response = try await complete(request)
        guard let streaming else {
            if !response.content.isEmpty { handler(.delta(response.content)) }
            return response
        }
        for (index, piece) in Self.pieces(of: response.content, wordsPerChunk: streaming.wordsPerChunk).enumerated() {
            if index > 0, streaming.pace > .zero, !(await streaming.clock.sleep(for: streaming.pace)) {
                throw CancellationError()
            }
            try Task.checkCancellation()
            handler(.delta(piece))
        }
        return response
    }

    /// `text` cut after every `wordsPerChunk`-th word (with the whitespace that follows it).
    static func pieces(of text: String, wordsPerChunk: Int) -> [String] {
        var pieces: [String] = []
        var current = ""
        var words = 0
        var inWord = false
        for character in text {
            if character.isWhitespace {
                if inWord { words += 1 }
                inWord = false
            } else {
                if !inWord, words == wordsPerChunk {
                    pieces.append(current)
                    current = ""
                    words = 0
                }
                inWord = true
            }
            current.append(character)
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    /// `scripted-1`
    public var modelName: String { Self.model }

    /// How many calls it has answered or refused so far.
    public var callCount: Int { calls.withLock { $0.total } }

    /// Answers from the request, or applies the behavior's matching rule. In a tool loop, the turn a rule
    /// matches is one plus the request's assistant messages.
    /// - Throws: ``LLMError`` when a rule says to fail, or `CancellationError` during a delay.
    public func complete(_ request: LLMRequest) async throws -> LLMResponse {
        let (total, agentCall) = calls.withLock { counts in
            counts.total += 1
            counts.byAgent[request.agentName, default: 0] += 1
            return (counts.total, counts.byAgent[request.agentName, default: 0])
        }
        let turn = 1 + request.messages.count { $0.role == "assistant" }
        let action = behavior.action(agentName: request.agentName, call: agentCall, totalCall: total, turn: turn)
        var latencyMs = 0
        var content = Self.answer(to: request)
        var toolCalls: [LLMToolCall] = []
        switch action {
        case .none:
            break
        case .answer(let text):
            content = text
        case .delay(let duration):
            try await Task.sleep(for: duration)
            latencyMs = duration.milliseconds
        case .fail(let code):
            let outcome = code == .timeout ? "timeout" : code == .invalidResponse ? "invalid_response" : "http_503"
            throw LLMError(
                code: code, message: "the scripted model was told to fail call \(agentCall) of \(request.agentName)",
                attempts: [LLMAttempt(model: Self.model, number: 1, outcome: outcome, latencyMs: 0)])
        case .garbage:
            content = "\u{0}\u{1}\u{FFFD}{{]]\u{7}"
        case .callTools(let calls, let text):
            content = text
            toolCalls = calls.enumerated().map { index, call in
                var call = call
                if call.id.isEmpty { call.id = "call_\(turn)_\(index + 1)" }
                return call
            }
        }
        return LLMResponse(
            content: content, model: Self.model,
            promptTokens: request.messages.reduce(0) { $0 + Self.wordCount($1.content) },
            completionTokens: Self.wordCount(content), latencyMs: latencyMs,
            attempts: [LLMAttempt(model: Self.model, number: 1, outcome: "success", latencyMs: latencyMs)],
            toolCalls: toolCalls)
    }

    /// The normal answer: a quote of the request, the findings, what is missing, and next steps.
    static func answer(to request: LLMRequest) -> String {
        let prompt = request.messages.last { $0.role == "user" }?.content ?? ""
        var quoted = prompt.split(separator: "\n").first.map(String.init) ?? ""
        var sections: [String: [String]] = [:]
        var current: String?
        for line in prompt.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) {
            if line.hasPrefix("Request: ") {
                quoted = String(line.dropFirst("Request: ".count))
            } else if line.hasSuffix(":"), !line.hasPrefix("- ") {
                current = String(line.dropLast())
            } else if line.hasPrefix("- "), let section = current {
                sections[section, default: []].append(String(line.dropFirst(2)))
            }
        }
        var parts = ["You asked: \"\(quoted)\"."]
        if let findings = sections["Findings"], !findings.isEmpty {
            parts.append("What the earlier steps found:\n" + findings.map { "- \($0)" }.joined(separator: "\n"))
        }
        let missing = (sections["Missing"] ?? []) + (sections["Failed steps"] ?? [])
        if !missing.isEmpty {
            parts.append("What could not be determined:\n" + missing.map { "- \($0)" }.joined(separator: "\n"))
        }
        var steps: [String] = []
        if let gaps = sections["Missing"], !gaps.isEmpty {
            steps.append("Send the missing data: " + gaps.joined(separator: "; "))
        }
        if let failed = sections["Failed steps"], !failed.isEmpty {
            steps.append("Ask again once the failed steps can run")
        }
        if steps.isEmpty {
            steps = ["Review the recommended option", "Carry out the planned actions", "Measure the result"]
        }
        parts.append(
            "Next steps:\n"
                + steps.enumerated().map { "\($0.offset + 1). \($0.element)" }
                .joined(separator: "\n"))
        return parts.joined(separator: "\n\n")
    }

    static func wordCount(_ text: String) -> Int {
        text.split(whereSeparator: { $0.isWhitespace }).count
    }
}
