extension OpenAICompatibleLLM {
    /// Where the endpoint is, which models to ask, and how hard to try.
    ///
    /// The defaults are the limits of the contract: 8 s to the first byte and 8 s between streamed chunks, 3 attempts
    /// with backoff 0.2 s and 0.4 s, then one call to the fallback model (when one is configured), streaming on.
    ///
    /// The description and the reflection of a configuration never show the API key.
    public struct Configuration: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
        /// The API's base URL, the part before `/chat/completions` (`https://api.openai.com/v1`).
        public var baseURL: String
        /// The primary model.
        public var model: String
        /// Sent as `Authorization: Bearer <apiKey>` when set and not empty; never logged.
        public var apiKey: String?
        /// The model asked once after the primary has failed, if any.
        public var fallbackModel: String?
        /// The time limit of one attempt until the answer starts. Not streaming: from sending the request to the
        /// last byte of the answer. Streaming: from sending the request to the first bytes of the response body.
        public var timeout: Duration
        /// Streaming: the longest wait for the next piece of the response body once it has started. Each wait has
        /// this limit, not the whole answer, so a slow but steady stream never times out.
        public var chunkTimeout: Duration
        /// Whether ``OpenAICompatibleLLM/stream(_:handler:)`` asks for a streamed answer (`"stream": true`) and
        /// reports its text as it arrives. When false it makes the same calls as ``OpenAICompatibleLLM/complete(_:)``
        /// and reports each successful attempt's whole text as one delta.
        public var streaming: Bool
        /// How many times the primary model is tried (at least 1).
        public var attempts: Int
        /// The waits before the primary's second, third, … attempt; the last one repeats when there are more
        /// attempts than delays, and an empty list means no wait.
        public var backoff: [Duration]
        /// The largest response body accepted (streamed or not); a bigger one counts as an invalid response.
        public var maxResponseBytes: Int

        /// Creates a configuration; the defaults are the contract's limits.
        public init(
            baseURL: String,
            model: String,
            apiKey: String? = nil,
            fallbackModel: String? = nil,
            timeout: Duration = .seconds(8),
            chunkTimeout: Duration = .seconds(8),
            attempts: Int = 3,
            backoff: [Duration] = [.milliseconds(200), .milliseconds(400)],
            maxResponseBytes: Int = 4 * 1024 * 1024,
            streaming: Bool = true
        ) {
            self.baseURL = baseURL
            self.model = model
            self.apiKey = apiKey
            self.fallbackModel = fallbackModel
            self.timeout = timeout
            self.chunkTimeout = chunkTimeout
            self.attempts = attempts
            self.backoff = backoff
            self.maxResponseBytes = maxResponseBytes
            self.streaming = streaming
        }

        /// `POST` target of every call: the base URL without trailing slashes, then `/chat/completions`.
        public var chatCompletionsURL: String {
            var base = Substring(baseURL)
            while base.hasSuffix("/") { base = base.dropLast() }
            return "\(base)/chat/completions"
        }

        /// The fallback model, when one is set and not empty.
        var effectiveFallbackModel: String? {
            guard let fallbackModel, !fallbackModel.isEmpty else { return nil }
            return fallbackModel
        }

        /// The wait before the primary's attempt `number` (2, 3, …).
        func backoff(beforeAttempt number: Int) -> Duration? {
            guard number > 1, let last = backoff.last else { return nil }
            let index = number - 2
            return index < backoff.count ? backoff[index] : last
        }

        /// The configuration with the API key redacted.
        public var description: String {
            let key = apiKey.map { $0.isEmpty ? "none" : "<redacted>" } ?? "none"
            return "OpenAICompatibleLLM.Configuration(baseURL: \(baseURL), model: \(model), apiKey: \(key), "
                + "fallbackModel: \(fallbackModel ?? "none"), timeout: \(timeout), chunkTimeout: \(chunkTimeout), "
                + "attempts: \(attempts), backoff: \(backoff), maxResponseBytes: \(maxResponseBytes), "
                + "streaming: \(streaming))"
        }

        /// A mirror that shows every field but the API key's value.
        public var customMirror: Mirror {
            Mirror(
                self,
                children: [
                    "baseURL": baseURL,
                    "model": model,
                    "apiKey": apiKey == nil ? "none" : "<redacted>",
                    "fallbackModel": fallbackModel as Any,
                    "timeout": timeout,
                    "chunkTimeout": chunkTimeout,
                    "attempts": attempts,
                    "backoff": backoff,
                    "maxResponseBytes": maxResponseBytes,
                    "streaming": streaming,
                ],
                displayStyle: .struct
            )
        }
    }
}
