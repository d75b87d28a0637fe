import AgentRuntime
import Foundation

/// A client frame, parsed and checked: what the session acts on.
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
    ///   `MESSAGE_TOO_LARGE`.
    static func parse(_ text: String, limits: Limits) throws -> InboundMessage {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: text)
        } catch {
            throw GatewayError(code: .invalidJSON, message: "the frame is not valid JSON")
        }
        guard case .object(let top) = value else {
            throw GatewayError(code: .invalidJSON, message: "the frame is not a JSON object")
        }
        var fields = top
        if case .object(let nested)? = top["payload"] {
            fields.merge(nested) { outer, _ in outer }
        }
        let reader = FieldReader(fields: fields, limits: limits)
        guard case .string(let type)? = top["type"] else {
            throw GatewayError(code: .invalidField, message: "type must be a string")
        }
        switch type {
        case "user_message", "chat_message", "start_agent":
            let content = try reader.content()
            return .userMessage(
                content: content, threadID: try reader.optionalID("thread_id"),
                clientMessageID: try reader.optionalID("client_message_id"))
        case "resume":
            return .resume(afterSeq: try reader.sequence("after_seq"))
        case "stop_agent":
            return .stopAgent(runID: try reader.requiredID("run_id"))
        case "get_thread_history":
            return .getThreadHistory(threadID: try reader.requiredID("thread_id"))
        case "ping":
            return .ping
        default:
            throw GatewayError(code: .unknownType, message: "unknown frame type \(type.prefix(64))")
        }
    }
}

/// Reads and checks the fields of one client frame.
private struct FieldReader {
    let fields: [String: JSONValue]
    let limits: InboundMessage.Limits

    func content() throws -> String {
        switch fields["content"] {
        case nil, .null?:
            throw GatewayError(code: .emptyMessage, message: "content is required")
        case .string(let text)?:
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw GatewayError(code: .emptyMessage, message: "content is blank")
            }
            guard text.utf8.count <= limits.maxContentBytes else {
                throw GatewayError(
                    code: .messageTooLarge, message: "content is over \(limits.maxContentBytes) bytes")
            }
            return text
        default:
            throw GatewayError(code: .invalidField, message: "content must be a string")
        }
    }

    func optionalID(_ name: String) throws -> String? {
        switch fields[name] {
        case nil, .null?: return nil
        case .string(let text)? where !text.isEmpty && text.count <= limits.maxIDLength: return text
        default:
            throw GatewayError(
                code: .invalidField, message: "\(name) must be a non-empty string of at most \(limits.maxIDLength)")
        }
    }

    func requiredID(_ name: String) throws -> String {
        guard let id = try optionalID(name) else {
            throw GatewayError(code: .invalidField, message: "\(name) is required")
        }
        return id
    }

    func sequence(_ name: String) throws -> Int64 {
        guard case .number(let number)? = fields[name], number >= 0, number == number.rounded(),
            number < 9_007_199_254_740_992
        else {
            throw GatewayError(code: .invalidField, message: "\(name) must be a non-negative integer")
        }
        return Int64(number)
    }
}
