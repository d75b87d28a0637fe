import AgentRuntime

extension AgentName {
    /// Finds flights and the weather with the language model and its tools, then hands off to the booker.
    public static let concierge: AgentName = "concierge"
    /// Books the cheapest flight the concierge found (Swift, no model).
    public static let booker: AgentName = "booker"
    /// Writes the itinerary from the run state (Swift, no model).
    public static let summarizer: AgentName = "summarizer"
}
