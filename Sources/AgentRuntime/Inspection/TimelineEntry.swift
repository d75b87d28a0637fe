/// One event of a run's timeline (`goldenpath show`), with the frames that carried it.
public struct TimelineEntry: Sendable, Hashable, Codable {
    /// A frame written to a connection.
    public struct FrameDelivery: Sendable, Hashable, Codable {
        /// The connection.
        public var connectionID: String
        /// The connection's authenticated user.
        public var recipientUserID: String
        /// When the delivery was recorded.
        public var sentAt: String

        enum CodingKeys: String, CodingKey {
            case connectionID = "connection_id", recipientUserID = "recipient_user_id", sentAt = "sent_at"
        }
    }

    /// The event's sequence number.
    public var seq: Int64
    /// Milliseconds since the run's first event.
    public var offsetMs: Int
    /// The event type.
    public var type: String
    /// The agent, when one applies.
    public var agentName: String?
    /// The tool, when one applies.
    public var toolName: String?
    /// A short description: a status, an error code, the model and tokens of an LLM call.
    public var detail: String?
    /// The `response_id` of an `agent_response_delta` or `agent_response_reset`.
    public var responseID: String? = nil
    /// The text of an `agent_response_delta` (of all the deltas it folds, in a folded timeline).
    public var delta: String? = nil
    /// The event that caused this one.
    public var causationSeq: Int64?
    /// The frames that carried the event, one per connection.
    public var deliveries: [FrameDelivery]

    enum CodingKeys: String, CodingKey {
        case seq, offsetMs = "offset_ms", type, agentName = "agent_name", toolName = "tool_name", detail
        case responseID = "response_id", delta
        case causationSeq = "causation_seq", deliveries
    }
}

