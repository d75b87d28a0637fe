/// A frame a client sends (SPEC §4), written as the JSON the server expects.
///
/// ```swift
/// try await connection.send(.userMessage(content: "How can we cut our GPU bill?", clientMessageID: id))
/// try await connection.send(.stopAgent(runID: runID))
/// ```
public enum ClientFrame: Sendable, Hashable, CustomStringConvertible {
    /// `user_message {content, thread_id?, client_message_id?}`: starts a run (or continues the thread
    /// `threadID`); a repeated `clientMessageID` starts no second run and is acknowledged again.
    case userMessage(content: String, threadID: String? = nil, clientMessageID: String? = nil)
    /// `stop_agent {run_id}`: cancels one of the caller's runs.
    case stopAgent(runID: String)
    /// `resume {after_seq}`: re-sends every journal-event frame of the user after `afterSeq`, then
    /// `resume_completed`.
    case resume(afterSeq: Int64)
    /// `get_thread_history {thread_id}`: answered by `thread_history`.
    case getThreadHistory(threadID: String)
    /// `ping`: answered by `pong`.
    case ping

    /// The frame's type.
    public var kind: Kind {
        switch self {
        case .userMessage: .userMessage
        case .stopAgent: .stopAgent
        case .resume: .resume
        case .getThreadHistory: .getThreadHistory
        case .ping: .ping
        }
    }

    /// The frame's members, `type` included; optional fields that are nil are left out.
    public var fields: [String: JSONValue] {
        var fields: [String: JSONValue] = ["type": .string(kind.rawValue)]
        switch self {
        case .userMessage(let content, let threadID, let clientMessageID):
            fields["content"] = .string(content)
            if let threadID { fields["thread_id"] = .string(threadID) }
            if let clientMessageID { fields["client_message_id"] = .string(clientMessageID) }
        case .stopAgent(let runID):
            fields["run_id"] = .string(runID)
        case .resume(let afterSeq):
            fields["after_seq"] = .number(Double(afterSeq))
        case .getThreadHistory(let threadID):
            fields["thread_id"] = .string(threadID)
        case .ping:
            break
        }
        return fields
    }

    /// The frame as one JSON text message (compact, keys sorted).
    public var text: String { JSONValue.object(fields).jsonText }

    /// The frame's text.
    public var description: String { text }
}
