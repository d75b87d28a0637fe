/// How a run stands: the `status` of run frames and of the `runs` projection.
public enum RunStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// The message is recorded; no agent has started yet.
    case pending
    /// Agents are working.
    case running
    /// The run ended with an answer.
    case completed
    /// The pipeline could not go on.
    case failed
    /// The user stopped the run.
    case cancelled
}

/// `user_message`: the user's message as received; the first event of every run.
public struct UserMessage: Codable, Sendable, Hashable {
    /// The text the user sent.
    public var content: String
    /// The client's idempotency key, if it sent one.
    public var clientMessageID: String?
    /// The thread the message belongs to.
    public var threadID: String
    /// The run the message starts.
    public var runID: String

    enum CodingKeys: String, CodingKey {
        case content, clientMessageID = "client_message_id", threadID = "thread_id", runID = "run_id"
    }

    /// Creates the payload.
    public init(content: String, clientMessageID: String?, threadID: String, runID: String) {
        self.content = content
        self.clientMessageID = clientMessageID
        self.threadID = threadID
        self.runID = runID
    }

    /// Encodes every field, an absent `client_message_id` as `null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(content, forKey: .content)
        try container.encode(clientMessageID, forKey: .clientMessageID)
        try container.encode(threadID, forKey: .threadID)
        try container.encode(runID, forKey: .runID)
    }
}

/// `message_received` (frame): the acknowledgement of a user message.
public struct MessageReceived: Codable, Sendable, Hashable {
    /// The client's idempotency key, or `null`.
    public var clientMessageID: String?
    /// The thread of the message.
    public var threadID: String
    /// The run the message started.
    public var runID: String

    enum CodingKeys: String, CodingKey {
        case clientMessageID = "client_message_id", threadID = "thread_id", runID = "run_id"
    }

    /// Creates the payload.
    public init(clientMessageID: String?, threadID: String, runID: String) {
        self.clientMessageID = clientMessageID
        self.threadID = threadID
        self.runID = runID
    }

    /// Encodes every field, an absent `client_message_id` as `null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(clientMessageID, forKey: .clientMessageID)
        try container.encode(threadID, forKey: .threadID)
        try container.encode(runID, forKey: .runID)
    }
}

/// `run_completed` (frame, terminal): the run ended with an answer.
public struct RunCompleted: Codable, Sendable, Hashable {
    /// Always `completed`.
    public var status: RunStatus
    /// The answer.
    public var finalResponse: String
    /// True when some step failed and the answer says what is missing.
    public var degraded: Bool

    enum CodingKeys: String, CodingKey {
        case status, finalResponse = "final_response", degraded
    }

    /// Creates the payload.
    public init(finalResponse: String, degraded: Bool) {
        self.status = .completed
        self.finalResponse = finalResponse
        self.degraded = degraded
    }
}

/// `run_failed` (frame, terminal): the pipeline could not go on.
public struct RunFailed: Codable, Sendable, Hashable {
    /// Always `failed`.
    public var status: RunStatus
    /// `JOURNAL_UNAVAILABLE`, `INTERRUPTED`, `INTERNAL` or `TIMEOUT`.
    public var errorCode: String
    /// A sentence for people.
    public var message: String

    enum CodingKeys: String, CodingKey {
        case status, errorCode = "error_code", message
    }

    /// Creates the payload.
    public init(errorCode: String, message: String) {
        self.status = .failed
        self.errorCode = errorCode
        self.message = message
    }
}

/// `run_cancelled` (frame, terminal): the user stopped the run.
public struct RunCancelled: Codable, Sendable, Hashable {
    /// Always `cancelled`.
    public var status: RunStatus
    /// Why, as a code (`CANCELLED`), or `null`.
    public var errorCode: String?
    /// Why, for people, or `null`.
    public var message: String?

    enum CodingKeys: String, CodingKey {
        case status, errorCode = "error_code", message
    }

    /// Creates the payload.
    public init(errorCode: String? = "CANCELLED", message: String? = "the run was stopped by its user") {
        self.status = .cancelled
        self.errorCode = errorCode
        self.message = message
    }

    /// Encodes every field, absent ones as `null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encode(errorCode, forKey: .errorCode)
        try container.encode(message, forKey: .message)
    }
}

/// `run_recovery`: what start-up recovery decided for a run that had no terminal event.
public struct RunRecovery: Codable, Sendable, Hashable {
    /// `interrupted` (the run is ended `run_failed {INTERRUPTED}`); resuming is a later addition.
    public var decision: String
    /// Why, for people.
    public var reason: String
    /// The sequence number of the run's last event before recovery.
    public var lastSeq: Int64

    enum CodingKeys: String, CodingKey {
        case decision, reason, lastSeq = "last_seq"
    }

    /// Creates the payload.
    public init(decision: String, reason: String, lastSeq: Int64) {
        self.decision = decision
        self.reason = reason
        self.lastSeq = lastSeq
    }
}
