extension EventPattern {
    /// The tools each standard sub-agent calls, in order (SPEC §5).
    public static let standardTools: [String: [String]] = [
        "triage": ["classify_request"],
        "data_helper": ["identify_missing_data"],
        "data": ["extract_metrics"],
        "optimization": ["estimate_cost_change", "rank_options"],
        "actions": ["plan_actions"],
        "reporting": ["llm_report_generation"],
    ]

    /// The LLM events a tool call may contain in the journal: the call's own (not frames) and its streamed answer.
    public static let llmEvent = Element.oneOf([
        .event("llm_request"), .event("llm_response"), .event("llm_failed"), .event("agent_response_delta"),
        .event("agent_response_reset"),
    ])

    /// The frames of a streamed answer (`agent_response_delta`, `agent_response_reset`): how many a response takes
    /// depends on timing, so patterns admit any number wherever they admit LLM events.
    public static let streamedAnswerEvent = Element.oneOf([
        .event("agent_response_delta"), .event("agent_response_reset"),
    ])

    /// Where a call of the language model may sit: its LLM events, or (frames only) its streamed answer.
    static func llmEvents(framesOnly: Bool) -> Element {
        .zeroOrMore(framesOnly ? streamedAnswerEvent : llmEvent)
    }

    /// One sub-agent that succeeds: `agent_started`, ≥1 `agent_thinking`, each tool's `tool_executing` +
    /// `tool_completed` (status `success`, LLM events in between when `framesOnly` is false),
    /// `agent_completed` (status `completed`).
    public static func agent(_ name: String, tools: [String]? = nil, framesOnly: Bool = false) -> EventPattern {
        var elements: [Element] = [
            .event("agent_started", agent: name), .oneOrMore(.event("agent_thinking", agent: name)),
        ]
        for tool in tools ?? standardTools[name] ?? [] {
            elements.append(.event("tool_executing", agent: name, tool: tool))
            elements.append(llmEvents(framesOnly: framesOnly))
            elements.append(.event("tool_completed", agent: name, tool: tool, status: "success"))
        }
        elements.append(.event("agent_completed", agent: name, status: "completed"))
        return EventPattern(elements)
    }

    /// One sub-agent whose tool `failingTool` fails with `toolStatus` (`error` or `timeout`): its earlier tools
    /// succeed, then `agent_error` and `agent_completed` with `agentStatus` (`failed` or `timeout`).
    public static func failingAgent(
        _ name: String, failingTool: String, toolStatus: String = "error", agentStatus: String = "failed",
        framesOnly: Bool = false
    ) -> EventPattern {
        var elements: [Element] = [
            .event("agent_started", agent: name), .oneOrMore(.event("agent_thinking", agent: name)),
        ]
        for tool in standardTools[name] ?? [] {
            elements.append(.event("tool_executing", agent: name, tool: tool))
            elements.append(llmEvents(framesOnly: framesOnly))
            if tool == failingTool {
                elements.append(.event("tool_completed", agent: name, tool: tool, status: toolStatus))
                break
            }
            elements.append(.event("tool_completed", agent: name, tool: tool, status: "success"))
        }
        elements += [.event("agent_error", agent: name), .event("agent_completed", agent: name, status: agentStatus)]
        return EventPattern(elements)
    }

    /// A whole run: (`user_message` when `framesOnly` is false), `message_received`, supervisor `agent_started` and
    /// ≥1 `agent_thinking`, then `middle`, supervisor `agent_completed`, and `terminal` (default `run_completed`).
    public static func run(_ middle: EventPattern, terminal: String = "run_completed", framesOnly: Bool = false)
        -> EventPattern
    {
        var head: [Element] = framesOnly ? [] : [.event("user_message")]
        head += [
            .event("message_received"), .event("agent_started", agent: "supervisor"),
            .oneOrMore(.event("agent_thinking", agent: "supervisor")),
        ]
        return EventPattern(head) + middle
            + EventPattern([.event("agent_completed", agent: "supervisor"), .event(terminal)])
    }

    /// The golden path of SPEC §5 for these sub-agents, each succeeding, ending `run_completed`.
    public static func goldenPath(agents: [String], framesOnly: Bool = false) -> EventPattern {
        run(agents.reduce(EventPattern([])) { $0 + agent($1, framesOnly: framesOnly) }, framesOnly: framesOnly)
    }
}
