/// How a connection ended, when it ended with a close handshake (or without one, but without an error).
public struct ConnectionClosure: Sendable, Hashable {
    /// The close code the server sent (1000 normal, 1008 policy, 1009 too big, 1013 try again later, …); nil when
    /// the connection closed without one.
    public var code: UInt16?
    /// The close reason the server sent, if any.
    public var reason: String?

    /// Creates a closure.
    public init(code: UInt16?, reason: String?) {
        self.code = code
        self.reason = reason
    }
}
