/// The seam where a language model plugs in: the scripted model offline and in tests, an OpenAI-compatible
/// endpoint in production, a ``ModelRouter`` when agents name their own endpoints.
public protocol LLMClient: Sendable {
    /// Answers one chat-completion request (with tool calls when the request offers tools).
    ///
    /// Implementations handle their own timeouts, retries and fallback, and report each attempt in the
    /// response's ``LLMResponse/attempts`` so that the caller can journal every one.
    /// - Throws: ``LLMError`` when no attempt produced an answer (every attempt is in the error).
    func complete(_ request: LLMRequest) async throws -> LLMResponse

    /// Answers one request like ``complete(_:)``, reporting the answer's text to `handler` as the model sends it.
    ///
    /// The runtime calls this for every model call of a run and journals what `handler` receives as
    /// `agent_response_delta` events. The returned response's ``LLMResponse/content`` is the whole answer: the
    /// deltas of the last attempt, joined. Cancelling the calling task ends the model's stream at once (a
    /// streaming HTTP client closes its connection). Has a default for clients that do not stream: it reports one
    /// attempt and the whole answer as one delta once ``complete(_:)`` returns.
    /// - Throws: ``LLMError`` when no attempt produced an answer.
    func stream(_ request: LLMRequest, handler: @escaping LLMStreamHandler) async throws -> LLMResponse

    /// The model asked first (journaled in `llm_request`). Has a default (`unknown`) in an extension.
    var modelName: String { get }

    /// The model asked first for `request` (journaled in its `llm_request`). Has a default: the request's own
    /// ``LLMRequest/model``, else ``modelName``.
    func modelName(for request: LLMRequest) -> String
}

extension LLMClient {
    /// The request's own model, else ``modelName``.
    public func modelName(for request: LLMRequest) -> String { request.model ?? modelName }
}

extension LLMClient {
    /// Answers with ``complete(_:)``, then reports the whole answer as one delta.
    public func stream(_ request: LLMRequest, handler: @escaping LLMStreamHandler) async throws -> LLMResponse {
        handler(.attemptStarted(model: modelName(for: request), number: 1, isFallback: false))
        let response = try await complete(request)
        if !response.content.isEmpty { handler(.delta(response.content)) }
        return response
    }
}
