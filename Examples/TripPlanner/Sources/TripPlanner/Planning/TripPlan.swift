import AgentRuntime

/// The trip planner's plan: the concierge first; when it hands off (`transfer_to_booker`), the runtime runs
/// the booker before asking again; then the summarizer; then the answer.
///
/// The planner is a pure function of the run's history, so a resumed or replayed run takes the same path.
public struct TripPlan: Planner {
    /// Creates the plan.
    public init() {}

    /// The next step.
    public func next(_ progress: inout RunProgress<Trip>) -> PlanStep {
        guard progress.outcome(of: .concierge) != nil else { return .run(.concierge) }
        if progress.outcome(of: .booker) == nil {
            // A handoff would have run the booker already: the concierge did not choose a flight.
            let reason = "the concierge did not hand off to the booker"
            progress.state.notes.append("booking skipped: \(reason)")
            return .skip(.booker, reason: reason)
        }
        guard progress.outcome(of: .summarizer) != nil else { return .run(.summarizer) }
        return .finish
    }
}
