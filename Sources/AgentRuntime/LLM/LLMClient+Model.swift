extension LLMClient {
    /// The model a client asks first, for `llm_request`. Clients that know it override this.
    public var modelName: String { "unknown" }
}
