import AgentRuntime

/// Fault injection for a scripted pipeline, per agent and per call: what the ``ScriptedLLM`` does with each call
/// (fixed answers, delays, failures for the first N calls, garbage) and which tools fail, hang or are slow.
///
/// ```swift
/// let faults = FaultPlan().failingTool("extract_metrics").llm(.fail(.unavailable), agent: "reporting", calls: 1...2)
/// try await withLiveServer(llm: faults.makeLLM(), agents: faults.apply(to: AgentsConfiguration())) { server in ... }
/// ```
public struct FaultPlan: Sendable {
    /// The LLM rules, first match wins (see ``ScriptedLLM/Behavior``).
    public var llmRules: [ScriptedLLM.Behavior.Rule] = []
    /// The tools that replace the standard ones.
    public var tools: [any Tool] = []

    /// No faults.
    public init() {}

    /// Adds an LLM rule: `action` for `agent`'s calls (all agents when nil) numbered in `calls` (every call when nil).
    public func llm(_ action: ScriptedLLM.Behavior.Action, agent: String? = nil, calls: ClosedRange<Int>? = nil)
        -> FaultPlan
    {
        var plan = self
        plan.llmRules.append(ScriptedLLM.Behavior.Rule(agentName: agent, calls: calls, action: action))
        return plan
    }

    /// Makes the tool `name` fail every call with `TOOL_FAILED` and `message`.
    public func failingTool(_ name: String, message: String = "injected failure") -> FaultPlan {
        replacing(InjectedTool(name: name, mode: .fail(message)))
    }

    /// Makes the tool `name` never finish (until its time limit cancels it).
    public func hangingTool(_ name: String) -> FaultPlan {
        replacing(InjectedTool(name: name, mode: .hang))
    }

    /// Makes the tool `name` answer `results` after `delay` (cancellable).
    public func slowTool(_ name: String, delay: Duration, results: JSONValue = ["ok": true]) -> FaultPlan {
        replacing(InjectedTool(name: name, mode: .slow(delay, results)))
    }

    /// Replaces a standard tool with `tool`.
    public func replacing(_ tool: any Tool) -> FaultPlan {
        var plan = self
        plan.tools.append(tool)
        return plan
    }

    /// The LLM behavior of the plan.
    public var behavior: ScriptedLLM.Behavior { ScriptedLLM.Behavior(rules: llmRules) }

    /// A fresh ``ScriptedLLM`` (call counters start at zero) with the plan's LLM rules.
    public func makeLLM() -> ScriptedLLM { ScriptedLLM(behavior: behavior) }

    /// `configuration` with the plan's tools in place of the standard ones.
    public func apply(to configuration: AgentsConfiguration) -> AgentsConfiguration {
        var configuration = configuration
        for tool in tools { configuration.tools = configuration.tools.replacing(tool) }
        return configuration
    }
}
