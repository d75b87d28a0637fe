/// Why a text frame could not be read as a frame: a code the protocol also uses for `error` frames, a message for
/// people (which never echoes more than a short prefix of the input), and the cause.
public struct FrameDecodingError: Error, Sendable, CustomStringConvertible {
    /// What was wrong with the frame.
    public enum Code: Sendable, Hashable, CaseIterable {
        /// Not JSON, or a JSON value that is not an object (`INVALID_JSON`).
        case invalidJSON
        /// A `type` this vocabulary does not know (`UNKNOWN_TYPE`).
        case unknownType
        /// A field of the wrong type or form, or a required field missing (`INVALID_FIELD`).
        case invalidField
        /// A message whose content is missing or blank (`EMPTY_MESSAGE`).
        case emptyMessage
        /// A message whose content is over the size limit (`MESSAGE_TOO_LARGE`).
        case messageTooLarge
    }

    /// What was wrong.
    public var code: Code
    /// A sentence for people.
    public var message: String
    /// The underlying error (the JSON parser's), if any.
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    public init(code: Code, message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// The message.
    public var description: String { message }
}
