extension RunState {
    /// One agent of the run and where it stands.
    public struct AgentState: Sendable, Hashable, Codable {
        /// Where an agent stands.
        public enum Status: String, Sendable, Hashable, Codable {
            /// Started, not completed yet.
            case running
            /// Completed.
            case completed
            /// Failed.
            case failed
            /// Ran out of time.
            case timeout

            init(_ status: AgentStatus) {
                switch status {
                case .completed: self = .completed
                case .failed: self = .failed
                case .timeout: self = .timeout
                }
            }
        }

        /// The agent's name.
        public var name: String
        /// Where it stands.
        public var status: Status
        /// The highest `step_number` of its thinking.
        public var steps = 0
        /// Its `agent_error` code, if it reported one.
        public var errorCode: String?
        /// Its `agent_error` message.
        public var errorMessage: String?
        /// Its `final_response`.
        public var finalResponse: String?
        /// Its `duration_ms`.
        public var durationMs: Int?
        /// The sequence number of its `agent_started`.
        public var startedSeq: Int64

        enum CodingKeys: String, CodingKey {
            case name, status, steps, errorCode = "error_code", errorMessage = "error_message"
            case finalResponse = "final_response", durationMs = "duration_ms", startedSeq = "started_seq"
        }
    }

    /// One tool call and its result.
    public struct ToolCall: Sendable, Hashable, Codable {
        /// Where a tool call stands.
        public enum Status: String, Sendable, Hashable, Codable {
            /// `tool_executing` seen, no `tool_completed` yet.
            case running
            /// Succeeded.
            case success
            /// Failed.
            case error
            /// Ran out of time.
            case timeout

            init(_ status: ToolStatus) {
                switch status {
                case .success: self = .success
                case .error: self = .error
                case .timeout: self = .timeout
                }
            }
        }

        /// The call's `execution_id`.
        public var executionID: String
        /// The calling agent.
        public var agentName: String
        /// The tool.
        public var toolName: String
        /// The parameters (secrets redacted), when its `tool_executing` was seen.
        public var parameters: JSONValue?
        /// Where it stands.
        public var status: Status
        /// Its results, once completed.
        public var results: JSONValue?
        /// Its `duration_ms`, once completed.
        public var durationMs: Int?
        /// The sequence number of its `tool_executing`.
        public var startedSeq: Int64?
        /// The sequence number of its `tool_completed`.
        public var completedSeq: Int64?

        enum CodingKeys: String, CodingKey {
            case executionID = "execution_id", agentName = "agent_name", toolName = "tool_name", parameters, status
            case results, durationMs = "duration_ms", startedSeq = "started_seq", completedSeq = "completed_seq"
        }
    }

    /// One language-model call: the model asked, the model that answered, tokens and attempts.
    /// One streamed answer: the deltas of one `response_id`, joined, and whether it was reset.
    public struct StreamedResponse: Sendable, Hashable, Codable {
        /// The response id (unique in the run).
        public var responseID: String
        /// The agent that called the model.
        public var agentName: String
        /// The text of its deltas, in order.
        public var text: String
        /// How many `agent_response_delta` events it took.
        public var deltaCount: Int
        /// Why its text is not the answer, when it was reset.
        public var reset: AgentResponseReset.Reason?
        /// The sequence number of its first event.
        public var firstSeq: Int64
        /// The sequence number of its latest event.
        public var lastSeq: Int64

        enum CodingKeys: String, CodingKey {
            case responseID = "response_id", agentName = "agent_name", text, deltaCount = "delta_count", reset
            case firstSeq = "first_seq", lastSeq = "last_seq"
        }
    }

    public struct LLMCall: Sendable, Hashable, Codable {
        /// Where an LLM call stands.
        public enum Status: String, Sendable, Hashable, Codable {
            /// Requested, not answered yet.
            case waiting
            /// Answered.
            case answered
            /// No attempt produced an answer.
            case failed
        }

        /// The calling agent.
        public var agentName: String
        /// What the call is for.
        public var purpose: String
        /// The model asked first.
        public var requestedModel: String
        /// Where it stands.
        public var status: Status = .waiting
        /// The model that answered (the primary or the fallback).
        public var answeredBy: String?
        /// Prompt tokens.
        public var promptTokens: Int?
        /// Completion tokens.
        public var completionTokens: Int?
        /// Latency from the first attempt to the answer.
        public var latencyMs: Int?
        /// The number of attempts (retries and fallback included).
        public var attempts: Int?
        /// The `llm_failed` error code.
        public var errorCode: String?
        /// The sequence number of its `llm_request`.
        public var requestedSeq: Int64
        /// The sequence number of its `llm_response` or `llm_failed`.
        public var answeredSeq: Int64?

        enum CodingKeys: String, CodingKey {
            case agentName = "agent_name", purpose, requestedModel = "requested_model", status
            case answeredBy = "answered_by", promptTokens = "prompt_tokens", completionTokens = "completion_tokens"
            case latencyMs = "latency_ms", attempts, errorCode = "error_code", requestedSeq = "requested_seq"
            case answeredSeq = "answered_seq"
        }

        init(agentName: String, purpose: String, requestedModel: String, requestedSeq: Int64) {
            self.agentName = agentName
            self.purpose = purpose
            self.requestedModel = requestedModel
            self.requestedSeq = requestedSeq
        }
    }

    /// How the run ended.
    public struct Outcome: Sendable, Hashable, Codable {
        /// `completed`, `failed` or `cancelled`.
        public var status: RunStatus
        /// The answer, when it completed.
        public var finalResponse: String?
        /// True when it completed with some step missing.
        public var degraded: Bool
        /// The error code of a failed or cancelled run.
        public var errorCode: String?
        /// The message of a failed or cancelled run.
        public var message: String?
        /// The sequence number of the terminal event.
        public var seq: Int64

        enum CodingKeys: String, CodingKey {
            case status, finalResponse = "final_response", degraded, errorCode = "error_code", message, seq
        }
    }

    /// A frame written to a connection (a row of `deliveries`).
    public struct FrameSent: Sendable, Hashable, Codable {
        /// The event the frame carried.
        public var seq: Int64
        /// The connection.
        public var connectionID: String
        /// The connection's authenticated user.
        public var recipientUserID: String
        /// The frame's type.
        public var frameType: String

        enum CodingKeys: String, CodingKey {
            case seq, connectionID = "connection_id", recipientUserID = "recipient_user_id", frameType = "frame_type"
        }

        /// Creates a delivery record.
        public init(seq: Int64, connectionID: String, recipientUserID: String, frameType: String) {
            self.seq = seq
            self.connectionID = connectionID
            self.recipientUserID = recipientUserID
            self.frameType = frameType
        }
    }
}
