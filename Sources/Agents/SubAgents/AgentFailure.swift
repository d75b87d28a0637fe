/// An agent could not do its work: `agent_error {error_code, message}` then `agent_completed {failed}`.
struct AgentFailure: Error, Sendable {
    /// `TOOL_FAILED`, `TOOL_TIMEOUT`, `AGENT_FAILED`, …
    var code: String
    /// A sentence for people.
    var message: String
}
