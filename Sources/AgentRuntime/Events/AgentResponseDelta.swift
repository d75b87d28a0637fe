/// `agent_response_delta` (frame): a piece of a model's answer as it streams.
///
/// Journaled coalesced (``AgentsConfiguration/deltaWindow``): the first piece at once, then at most one event per
/// window. Its event id is `<run_id>:<response_id>:<chunk_index>`, outside the run's step numbering, because how many
/// deltas a response takes depends on timing; replay and resume compare a response by its text.
public struct AgentResponseDelta: Codable, Sendable, Hashable {
    /// The agent that called the model.
    public var agentName: String
    /// One model call's answer, unique in the run (`r1`, `r2`, …).
    public var responseID: String
    /// The text.
    public var delta: String
    /// 0 for the response's first delta event, then 1, 2, … without gaps.
    public var chunkIndex: Int

    enum CodingKeys: String, CodingKey {
        case agentName = "agent_name", responseID = "response_id", delta, chunkIndex = "chunk_index"
    }

    /// Creates the payload.
    public init(agentName: String, responseID: String, delta: String, chunkIndex: Int) {
        self.agentName = agentName
        self.responseID = responseID
        self.delta = delta
        self.chunkIndex = chunkIndex
    }
}

/// `agent_response_reset` (frame): the text streamed under a `response_id` is not (or no longer) the answer.
///
/// Its event id is `<run_id>:<response_id>:reset`: a response is reset at most once.
public struct AgentResponseReset: Codable, Sendable, Hashable {
    /// Why the streamed text is not the answer.
    public enum Reason: String, Codable, Sendable, Hashable, CaseIterable {
        /// The turn ended in tool calls: its text became that turn's `agent_thinking`.
        case toolCalls = "tool_calls"
        /// The call is tried again; the new attempt streams under a new `response_id`.
        case retry
        /// The call goes to the fallback model, under a new `response_id`.
        case fallback
        /// The run resumed after a restart: the call is made again, under a new `response_id`.
        case recovery
        /// The call failed.
        case failed
    }

    /// The agent that called the model.
    public var agentName: String
    /// The response whose text is void.
    public var responseID: String
    /// Why.
    public var reason: Reason

    enum CodingKeys: String, CodingKey {
        case agentName = "agent_name", responseID = "response_id", reason
    }

    /// Creates the payload.
    public init(agentName: String, responseID: String, reason: Reason) {
        self.agentName = agentName
        self.responseID = responseID
        self.reason = reason
    }
}
