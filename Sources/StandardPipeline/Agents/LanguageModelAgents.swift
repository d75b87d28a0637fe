import Foundation
import AgentRuntime

/// The sub-agents of ``StandardPipeline/Mode/languageModel``: tool-loop agents whose model chooses which of the
/// agent's tools to call; their results update the run state exactly as the deterministic agents' do, and the
/// model's final text is the agent's summary.
enum LanguageModelAgents {
    static var all: [any Agent<StandardRunState>] { [triage, dataHelper, data, optimization, actions] }

    static let instructions = """
        You are one agent of GoldenPath's analysis pipeline. Call the tools you are given to do your step — \
        pass the request and the context values you are shown as arguments — then answer with one or two \
        sentences that summarize what you found.
        """

    static func context(_ state: StandardRunState) -> String {
        var lines = ["Request: \(state.request)"]
        if let classification = state.classification {
            lines.append(
                "Category: \(classification.category); priority: \(classification.priority); "
                    + "data sufficiency: \(classification.dataSufficiency.rawValue)")
        }
        if !state.metrics.isEmpty { lines.append("Figures: \(JSONValue.array(state.metrics).jsonText)") }
        if let estimate = state.estimate { lines.append("Estimate: \(estimate.jsonText)") }
        if let option = state.topOption { lines.append("Best option: \(option)") }
        return lines.joined(separator: "\n")
    }

    /// The model's summary, else the one the deterministic agent would write.
    static func summary(_ transcript: ToolLoopTranscript, otherwise derived: String) -> String {
        let text = transcript.finalText.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? derived : text
    }

    static func lastResult(of tool: String, in transcript: ToolLoopTranscript) throws -> JSONValue {
        guard let results = transcript.results(of: tool).last else {
            throw AgentFailure(code: "AGENT_FAILED", message: "the model did not call \(tool) successfully")
        }
        return results
    }

    static let triage = ToolLoopAgent<StandardRunState>(
        name: .triage, instructions: instructions, tools: [ClassifyRequestTool.toolName],
        task: { _ in "Classify the request: category, priority and whether it holds enough data" },
        prompt: { "Classify this request with classify_request.\n" + context($0) },
        finish: { state, transcript in
            let derived = try TriageAgent.absorb(
                try lastResult(of: ClassifyRequestTool.toolName, in: transcript), into: &state)
            return summary(transcript, otherwise: derived)
        })

    static let dataHelper = ToolLoopAgent<StandardRunState>(
        name: .dataHelper, instructions: instructions, tools: [IdentifyMissingDataTool.toolName],
        task: { _ in "Find out which data the request is missing" },
        prompt: { "List what this request is missing with identify_missing_data.\n" + context($0) },
        finish: { state, transcript in
            let derived = DataHelperAgent.absorb(
                try lastResult(of: IdentifyMissingDataTool.toolName, in: transcript), into: &state)
            return summary(transcript, otherwise: derived)
        })

    static let data = ToolLoopAgent<StandardRunState>(
        name: .data, instructions: instructions, tools: [ExtractMetricsTool.toolName],
        task: { _ in "Extract the figures (amounts, volumes, durations) from the request" },
        prompt: { "Extract the figures of this request with extract_metrics.\n" + context($0) },
        finish: { state, transcript in
            let derived = DataAgent.absorb(
                try lastResult(of: ExtractMetricsTool.toolName, in: transcript), into: &state)
            return summary(transcript, otherwise: derived)
        })

    static let optimization = ToolLoopAgent<StandardRunState>(
        name: .optimization, instructions: instructions,
        tools: [EstimateCostChangeTool.toolName, RankOptionsTool.toolName],
        task: { _ in "Estimate the possible change and rank the options" },
        prompt: {
            "Estimate the change with estimate_cost_change (pass the figures as metrics), then rank the options "
                + "with rank_options.\n" + context($0)
        },
        finish: { state, transcript in
            let derived = OptimizationAgent.absorb(
                estimate: try lastResult(of: EstimateCostChangeTool.toolName, in: transcript),
                ranking: try lastResult(of: RankOptionsTool.toolName, in: transcript), into: &state)
            return summary(transcript, otherwise: derived)
        })

    static let actions = ToolLoopAgent<StandardRunState>(
        name: .actions, instructions: instructions, tools: [PlanActionsTool.toolName],
        task: { _ in "Plan the actions for the best option" },
        prompt: { "Plan the steps for the best option with plan_actions (top_option).\n" + context($0) },
        finish: { state, transcript in
            let derived = ActionsAgent.absorb(
                try lastResult(of: PlanActionsTool.toolName, in: transcript), into: &state)
            return summary(transcript, otherwise: derived)
        })
}
