/// A connection that could not be made, used, or kept: a code, a message for people, and the cause.
public struct GoldenPathClientError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Sendable, Hashable {
        /// The connection could not be opened (refused, upgrade failed, closed before it opened).
        case connectFailed
        /// The connection did not open within the configured time.
        case connectTimedOut
        /// A frame could not be sent: the connection is not open (any more), or the write failed.
        case sendFailed
        /// The connection closed (or failed) before what was awaited arrived.
        case closed
    }

    /// What went wrong.
    public var code: Code
    /// A sentence for people.
    public var message: String
    /// The underlying error, if any.
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    public init(code: Code, message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// The message, and the cause when there is one.
    public var description: String {
        guard let cause else { return message }
        return "\(message): \(cause)"
    }
}
