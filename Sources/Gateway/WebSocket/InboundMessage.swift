import GoldenPathClient

/// A client frame, parsed and checked: what the session acts on.
///
/// Decoded through the protocol's vocabulary (``ClientFrame``), which spells the frame types and checks fields in
/// the order the codes below depend on; this type maps its errors to the gateway's.
enum InboundMessage: Sendable, Hashable {
    /// `user_message` (or `chat_message`, `start_agent`).
    case userMessage(content: String, threadID: String?, clientMessageID: String?)
    /// `resume {after_seq}`.
    case resume(afterSeq: Int64)
    /// `stop_agent {run_id}`.
    case stopAgent(runID: String)
    /// `get_thread_history {thread_id}`.
    case getThreadHistory(threadID: String)
    /// `ping`.
    case ping

    /// Limits applied while parsing.
    struct Limits: Sendable {
        /// The most bytes of `content` (UTF-8).
        var maxContentBytes: Int
        /// The most characters of an id field.
        var maxIDLength = 200
    }

    /// Parses one text frame.
    /// - Throws: `GatewayError` — `INVALID_JSON`, `UNKNOWN_TYPE`, `INVALID_FIELD`, `EMPTY_MESSAGE`,
    ///   `MESSAGE_TOO_LARGE` — with the decoding error as its cause.
    static func parse(_ text: String, limits: Limits) throws -> InboundMessage {
        let frame: ClientFrame
        do {
            frame = try ClientFrame(
                parsing: text,
                limits: ClientFrame.Limits(maxContentBytes: limits.maxContentBytes, maxIDLength: limits.maxIDLength))
        } catch {
            throw GatewayError(code: code(for: error.code), message: error.message, cause: error)
        }
        switch frame {
        case .userMessage(let content, let threadID, let clientMessageID):
            return .userMessage(content: content, threadID: threadID, clientMessageID: clientMessageID)
        case .resume(let afterSeq):
            return .resume(afterSeq: afterSeq)
        case .stopAgent(let runID):
            return .stopAgent(runID: runID)
        case .getThreadHistory(let threadID):
            return .getThreadHistory(threadID: threadID)
        case .ping:
            return .ping
        }
    }

    /// The protocol code of a decoding failure.
    private static func code(for code: FrameDecodingError.Code) -> GatewayError.Code {
        switch code {
        case .invalidJSON: .invalidJSON
        case .unknownType: .unknownType
        case .invalidField: .invalidField
        case .emptyMessage: .emptyMessage
        case .messageTooLarge: .messageTooLarge
        }
    }
}
