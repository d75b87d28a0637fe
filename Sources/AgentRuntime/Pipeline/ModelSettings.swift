/// How an agent calls its language model: which model and endpoint (overriding the server's default), and the
/// sampling and tool-calling options.
public struct ModelSettings: Sendable, Hashable {
    /// The model to ask instead of the client's own; nil for the server's default model.
    public var model: String?
    /// The named endpoint of a ``ModelRouter``; nil for the server's default endpoint.
    public var endpoint: String?
    /// The most tokens an answer may use.
    public var maxTokens: Int?
    /// Sampling temperature (default 0, the most repeatable).
    public var temperature: Double?
    /// `auto` (default), `none` or `required`.
    public var toolChoice: String?
    /// Whether the model may call several tools in one turn (default true).
    public var parallelToolCalls: Bool?

    /// Creates settings.
    public init(
        model: String? = nil, endpoint: String? = nil, maxTokens: Int? = nil, temperature: Double? = 0,
        toolChoice: String? = "auto", parallelToolCalls: Bool? = true
    ) {
        self.model = model
        self.endpoint = endpoint
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.toolChoice = toolChoice
        self.parallelToolCalls = parallelToolCalls
    }
}
