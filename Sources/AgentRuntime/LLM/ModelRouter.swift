/// Sends each request to the endpoint its agent names (``ModelSettings/endpoint``), or to the default one.
///
/// ```swift
/// let llm = ModelRouter(default: OpenAICompatibleLLM(configuration: main),
///                       endpoints: ["local": OpenAICompatibleLLM(configuration: ollama)])
/// ```
/// Replay and recovery wrap the whole router, so agents with their own endpoints are replayed like the rest.
public struct ModelRouter: LLMClient {
    /// The endpoint for requests that name none (or an unknown one).
    public let defaultClient: any LLMClient
    /// The named endpoints.
    public let endpoints: [String: any LLMClient]

    /// Creates a router.
    public init(default defaultClient: any LLMClient, endpoints: [String: any LLMClient]) {
        self.defaultClient = defaultClient
        self.endpoints = endpoints
    }

    /// The default endpoint's model.
    public var modelName: String { defaultClient.modelName }

    /// The model the named endpoint asks first, unless the request names one.
    public func modelName(for request: LLMRequest) -> String {
        request.model ?? client(for: request).modelName
    }

    /// Asks the request's endpoint.
    /// - Throws: That endpoint's ``LLMError``.
    public func complete(_ request: LLMRequest) async throws -> LLMResponse {
        try await client(for: request).complete(request)
    }

    /// Streams the answer from the client of the request's endpoint.
    public func stream(_ request: LLMRequest, handler: @escaping LLMStreamHandler) async throws -> LLMResponse {
        try await client(for: request).stream(request, handler: handler)
    }

    private func client(for request: LLMRequest) -> any LLMClient {
        request.endpoint.flatMap { endpoints[$0] } ?? defaultClient
    }
}
