import AgentRuntime

/// The trip planner pipeline, built only on GoldenPath's public API: a ``Trip`` as the run state, a tool-loop
/// ``Concierge``, a Swift ``Booker`` and ``Summarizer``, the ``TripTools`` and its own ``TripPlan``.
///
/// ```swift
/// let coordinator = RunCoordinator(
///     journal: journal, pipeline: TripPlanner.pipeline(), llm: ScriptedConcierge.makeLLM(), logger: logger)
/// ```
public enum TripPlanner {
    /// The supervisor's first `agent_thinking`.
    public static let planDescription =
        "The concierge finds flights and the weather and hands off to the booker; the summarizer writes the itinerary."

    /// The payment token of the demo wallet (``pipeline(paymentToken:)``'s default): a stand-in for a real
    /// card-on-file token, never journaled.
    public static let demoPaymentToken = "tok_demo_4242424242424242"

    /// The pipeline.
    /// - Parameter paymentToken: Where the booker gets each user's payment token (default: the demo token).
    public static func pipeline(
        paymentToken: @escaping PaymentTokenProvider = { _ in TripPlanner.demoPaymentToken }
    ) -> Pipeline<Trip> {
        Pipeline(
            name: "trip-planner",
            agents: [Concierge.make(), Booker(paymentToken: paymentToken), Summarizer()],
            tools: TripTools.all, planner: TripPlan(), supervisorTask: "Plan and book the user's trip",
            planDescription: planDescription, initialState: { Trip(request: $0) }, answer: answer)
    }

    /// The run's answer: the summarizer's itinerary (or the same text written here when it did not complete);
    /// degraded when any agent failed or ran out of time.
    @Sendable public static func answer(_ progress: RunProgress<Trip>) -> FinalAnswer {
        let degraded = progress.history.contains { $0.status == .failed || $0.status == .timedOut }
        let itinerary = progress.outcome(of: .summarizer).flatMap { $0.succeeded ? $0.summary : nil }
        return FinalAnswer(text: itinerary ?? Summarizer.itinerary(for: progress.state), degraded: degraded)
    }
}
