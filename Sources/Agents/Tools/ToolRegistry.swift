/// The tools available to agents, by name. Tests replace one to inject a failure.
public struct ToolRegistry: Sendable {
    private var tools: [String: any Tool]

    /// Creates a registry of the given tools.
    public init(_ tools: [any Tool]) {
        self.tools = Dictionary(tools.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The standard tools: `classify_request`, `identify_missing_data`, `extract_metrics`, `estimate_cost_change`,
    /// `rank_options`, `plan_actions`, `llm_report_generation`.
    public static let standard = ToolRegistry([
        ClassifyRequestTool(), IdentifyMissingDataTool(), ExtractMetricsTool(), EstimateCostChangeTool(),
        RankOptionsTool(), PlanActionsTool(), ReportGenerationTool(),
    ])

    /// The tool of that name, if registered.
    public subscript(name: String) -> (any Tool)? { tools[name] }

    /// The registered tool names, sorted.
    public var names: [String] { tools.keys.sorted() }

    /// A copy where `tool` replaces the tool of the same name.
    public func replacing(_ tool: any Tool) -> ToolRegistry {
        var copy = self
        copy.tools[tool.name] = tool
        return copy
    }
}
