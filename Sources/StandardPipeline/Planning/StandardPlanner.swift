import AgentRuntime

/// SPEC §5's plan: triage first; its data sufficiency picks the agents after it (``RunPlan``); an agent whose
/// dependency did not complete is skipped; agents before reporting are cut short to leave reporting its reserve;
/// the run finishes once reporting has answered (or the plan is done).
///
/// Every agent that failed, timed out or was skipped leaves one line in ``StandardRunState/failedSteps``, which
/// reporting turns into what the answer says could not be done.
public struct StandardPlanner: Planner {
    /// The agents after triage, by its data sufficiency (default: ``RunPlan/agents(after:)``).
    public var agentsAfterTriage: @Sendable (DataSufficiency?) -> [AgentName]
    /// The part of the run budget kept for reporting (default 50 s).
    public var reportingReserve: Duration

    /// Creates the planner.
    public init(
        agentsAfterTriage: @escaping @Sendable (DataSufficiency?) -> [AgentName] = { RunPlan.agents(after: $0) },
        reportingReserve: Duration = .seconds(50)
    ) {
        self.agentsAfterTriage = agentsAfterTriage
        self.reportingReserve = reportingReserve
    }

    /// The next agent of the plan, or finish.
    public func next(_ progress: inout RunProgress<StandardRunState>) -> PlanStep {
        if let last = progress.history.last, last.status == .failed || last.status == .timedOut {
            progress.state.failedSteps.append(
                "\(last.agent.rawValue): \(last.failure?.message ?? "it did not complete")")
        }
        if progress.outcome(of: .reporting)?.succeeded == true { return .finish }
        let plan: [AgentName] =
            progress.outcome(of: .triage) == nil
            ? [.triage] : [.triage] + agentsAfterTriage(progress.state.classification?.dataSufficiency)
        guard let name = plan.dropFirst(progress.history.count).first else { return .finish }
        if let dependency = RunPlan.dependency(of: name), progress.outcome(of: dependency)?.succeeded != true {
            let reason = "skipped because \(dependency.rawValue) did not complete"
            progress.state.failedSteps.append("\(name.rawValue): \(reason)")
            return .skip(name, reason: reason)
        }
        if name == .reporting {
            return .run(name, timeLimit: max(progress.remaining, .seconds(1)))
        }
        let limit = progress.remaining - reportingReserve
        guard limit > .zero else {
            let reason = "skipped because the run ran out of time"
            progress.state.failedSteps.append("\(name.rawValue): \(reason)")
            return .skip(name, reason: reason)
        }
        return .run(name, timeLimit: limit)
    }
}
