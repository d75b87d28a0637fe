/// An `error {code, message}` frame: the server refused a request (`INVALID_JSON`, `RATE_LIMITED`, …) or the
/// connection (`AUTH_FAILED`, `TOO_MANY_CONNECTIONS`, …). Thrown by the connection's helpers when it answers
/// their request.
public struct ServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The protocol error code, e.g. `THREAD_NOT_FOUND`.
    public let code: String
    /// The server's sentence for people (empty when it sent none).
    public let message: String
    /// The whole frame.
    public let object: FrameObject

    /// Reads the fields; nil when `code` is missing or not a string.
    init?(_ object: FrameObject) {
        guard let code = object.string("code") else { return nil }
        self.code = code
        self.message = object.string("message") ?? ""
        self.object = object
    }

    /// `CODE: message`.
    public var description: String { message.isEmpty ? code : "\(code): \(message)" }
}
