/// What an agent produced: a summary (its `final_response`) and the hand-off state for the agents after it.
struct AgentOutput: Sendable {
    var summary: String
    var handoff: Handoff
}
