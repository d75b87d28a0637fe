/// `connection_closed`: a WebSocket connection closed.
public struct ConnectionClosed: Codable, Sendable, Hashable {
    /// The connection.
    public var connectionID: String
    /// Why (`client_closed`, `token_expired`, `too_slow`, `shutdown`, …).
    public var reason: String

    enum CodingKeys: String, CodingKey {
        case connectionID = "connection_id", reason
    }

    /// Creates the payload.
    public init(connectionID: String, reason: String) {
        self.connectionID = connectionID
        self.reason = reason
    }
}
