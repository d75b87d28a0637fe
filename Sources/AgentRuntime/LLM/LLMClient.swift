/// The seam where a language model plugs in: the scripted model offline and in tests, an OpenAI-compatible
/// endpoint in production, a ``ModelRouter`` when agents name their own endpoints.
public protocol LLMClient: Sendable {
    /// Answers one chat-completion request (with tool calls when the request offers tools).
    ///
    /// Implementations handle their own timeouts, retries and fallback, and report each attempt in the
    /// response's ``LLMResponse/attempts`` so that the caller can journal every one.
    /// - Throws: ``LLMError`` when no attempt produced an answer (every attempt is in the error).
    func complete(_ request: LLMRequest) async throws -> LLMResponse

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
