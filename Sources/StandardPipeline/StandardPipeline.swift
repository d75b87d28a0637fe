import AgentRuntime

/// The pipeline of SPEC §5, built on the runtime's public API like any team's pipeline: a supervisor, triage,
/// data_helper, data, optimization, actions and reporting, with keyword tools and a language model that writes
/// the report.
///
/// ```swift
/// let coordinator = RunCoordinator(
///     journal: journal, pipeline: StandardPipeline.make(), llm: ScriptedLLM(), logger: logger)
/// ```
public enum StandardPipeline {
    /// How the sub-agents choose their tools.
    public enum Mode: Sendable, Hashable {
        /// Each sub-agent calls its tools in Swift, deterministically (the offline and test default): the frame
        /// sequences of SPEC §5 exactly.
        case deterministic
        /// Triage, data_helper, data, optimization and actions are ``ToolLoopAgent``s: the model chooses which
        /// of the agent's tools to call and writes the agent's summary (for `serve --llm openai`).
        case languageModel
    }

    /// What a run of the standard pipeline may be changed in.
    public struct Options: Sendable {
        /// How the sub-agents choose their tools (default ``Mode/deterministic``).
        public var mode: Mode = .deterministic
        /// The agents after triage, by its data sufficiency (default: ``RunPlan/agents(after:)``). A knob for
        /// experiments and for tests that change the code's behaviour (`replay --verify` then reports the
        /// divergence); keep reporting last.
        public var agentsAfterTriage: @Sendable (DataSufficiency?) -> [AgentName] = { RunPlan.agents(after: $0) }
        /// The part of the run budget kept for reporting (default 50 s).
        public var reportingReserve: Duration = .seconds(50)

        /// The defaults.
        public init() {}
    }

    /// The supervisor's plan, its first `agent_thinking`.
    public static let planDescription =
        "Triage first; its data sufficiency decides which agents run next. Reporting answers last."

    /// The pipeline.
    public static func make(_ options: Options = Options()) -> Pipeline<StandardRunState> {
        let agents: [any Agent<StandardRunState>] =
            switch options.mode {
            case .deterministic:
                [TriageAgent(), DataHelperAgent(), DataAgent(), OptimizationAgent(), ActionsAgent(), ReportingAgent()]
            case .languageModel:
                LanguageModelAgents.all + [ReportingAgent()]
            }
        return Pipeline(
            name: "standard", agents: agents, tools: tools,
            planner: StandardPlanner(
                agentsAfterTriage: options.agentsAfterTriage, reportingReserve: options.reportingReserve),
            planDescription: planDescription, initialState: { StandardRunState(request: $0) }, answer: answer)
    }

    /// The standard tools: `classify_request`, `identify_missing_data`, `extract_metrics`, `estimate_cost_change`,
    /// `rank_options`, `plan_actions`, `llm_report_generation`.
    public static var tools: [any Tool] {
        [
            ClassifyRequestTool(), IdentifyMissingDataTool(), ExtractMetricsTool(), EstimateCostChangeTool(),
            RankOptionsTool(), PlanActionsTool(), ReportGenerationTool(),
        ]
    }

    /// Reporting's answer, with a line on what could not be done when it does not say it already; the
    /// deterministic fallback when reporting gave no answer. Degraded when any agent failed or was skipped, or
    /// the answer is the fallback.
    @Sendable static func answer(_ progress: RunProgress<StandardRunState>) -> FinalAnswer {
        let failed = progress.history.contains { !$0.succeeded }
        if let reporting = progress.outcome(of: .reporting), reporting.succeeded, let report = reporting.summary,
            !report.isEmpty
        {
            return FinalAnswer(
                text: FallbackReport.ensuringGapsAreStated(report, state: progress.state),
                degraded: failed || progress.state.usedFallbackReport)
        }
        var fallback = progress.state
        fallback.usedFallbackReport = true
        return FinalAnswer(
            text: FallbackReport.text(for: fallback, reason: "the reporting step did not complete"), degraded: true)
    }
}

extension AgentName {
    /// Classifies the request (category, priority, data sufficiency).
    public static let triage: AgentName = "triage"
    /// Says what data the request lacks.
    public static let dataHelper: AgentName = "data_helper"
    /// Extracts the request's numbers.
    public static let data: AgentName = "data"
    /// Estimates the change and ranks options (needs data).
    public static let optimization: AgentName = "optimization"
    /// Plans the actions for the best option (needs optimization).
    public static let actions: AgentName = "actions"
    /// Writes the answer with the language model; never fails the run.
    public static let reporting: AgentName = "reporting"
}

extension ToolRegistry {
    /// The standard pipeline's tools (``StandardPipeline/tools``).
    public static var standard: ToolRegistry { ToolRegistry(StandardPipeline.tools) }
}
