import Foundation

extension ClientFrame {
    /// What a decoded frame may hold.
    public struct Limits: Sendable, Hashable {
        /// The most bytes of `content` (UTF-8).
        public var maxContentBytes: Int
        /// The most characters of an id field.
        public var maxIDLength: Int

        /// Limits; by default the protocol's 8,192 content bytes and ids of up to 200 characters.
        public init(maxContentBytes: Int = 8_192, maxIDLength: Int = 200) {
            self.maxContentBytes = maxContentBytes
            self.maxIDLength = maxIDLength
        }
    }

    /// Reads and checks one client frame, as the server does: the fields may also be nested under `"payload"`
    /// (the outer one wins), `type` may be an alias, and each field is checked in turn — `content` first (missing
    /// or blank is ``FrameDecodingError/Code/emptyMessage``, over the limit
    /// ``FrameDecodingError/Code/messageTooLarge``), then the ids.
    /// - Throws: ``FrameDecodingError``: `invalidJSON` (not JSON, or not an object), `invalidField` (`type` not a
    ///   string, a field of the wrong type or form, a required field missing), `unknownType`, `emptyMessage`,
    ///   `messageTooLarge`.
    public init(parsing text: String, limits: Limits = Limits()) throws(FrameDecodingError) {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: text)
        } catch {
            throw FrameDecodingError(code: .invalidJSON, message: "the frame is not valid JSON", cause: error)
        }
        guard case .object(let top) = value else {
            throw FrameDecodingError(code: .invalidJSON, message: "the frame is not a JSON object")
        }
        var fields = top
        if case .object(let nested)? = top["payload"] {
            fields.merge(nested) { outer, _ in outer }
        }
        let reader = FieldReader(fields: fields, limits: limits)
        guard case .string(let type)? = top["type"] else {
            throw FrameDecodingError(code: .invalidField, message: "type must be a string")
        }
        switch Kind(named: type) {
        case .userMessage?:
            let content = try reader.content()
            self = .userMessage(
                content: content, threadID: try reader.optionalID("thread_id"),
                clientMessageID: try reader.optionalID("client_message_id"))
        case .resume?:
            self = .resume(afterSeq: try reader.sequence("after_seq"))
        case .stopAgent?:
            self = .stopAgent(runID: try reader.requiredID("run_id"))
        case .getThreadHistory?:
            self = .getThreadHistory(threadID: try reader.requiredID("thread_id"))
        case .ping?:
            self = .ping
        case nil:
            throw FrameDecodingError(code: .unknownType, message: "unknown frame type \(type.prefix(64))")
        }
    }
}

/// Reads and checks the fields of one client frame.
private struct FieldReader {
    let fields: [String: JSONValue]
    let limits: ClientFrame.Limits

    func content() throws(FrameDecodingError) -> String {
        switch fields["content"] {
        case nil, .null?:
            throw FrameDecodingError(code: .emptyMessage, message: "content is required")
        case .string(let text)?:
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw FrameDecodingError(code: .emptyMessage, message: "content is blank")
            }
            guard text.utf8.count <= limits.maxContentBytes else {
                throw FrameDecodingError(
                    code: .messageTooLarge, message: "content is over \(limits.maxContentBytes) bytes")
            }
            return text
        default:
            throw FrameDecodingError(code: .invalidField, message: "content must be a string")
        }
    }

    func optionalID(_ name: String) throws(FrameDecodingError) -> String? {
        switch fields[name] {
        case nil, .null?: return nil
        case .string(let text)? where !text.isEmpty && text.count <= limits.maxIDLength: return text
        default:
            throw FrameDecodingError(
                code: .invalidField, message: "\(name) must be a non-empty string of at most \(limits.maxIDLength)")
        }
    }

    func requiredID(_ name: String) throws(FrameDecodingError) -> String {
        guard let id = try optionalID(name) else {
            throw FrameDecodingError(code: .invalidField, message: "\(name) is required")
        }
        return id
    }

    func sequence(_ name: String) throws(FrameDecodingError) -> Int64 {
        guard case .number(let number)? = fields[name], number >= 0, number == number.rounded(),
            number < 9_007_199_254_740_992
        else {
            throw FrameDecodingError(code: .invalidField, message: "\(name) must be a non-negative integer")
        }
        return Int64(number)
    }
}
