/// `connection_opened`: a WebSocket connection was authenticated (stream `connection:<id>`).
public struct ConnectionOpened: Codable, Sendable, Hashable {
    /// The connection.
    public var connectionID: String

    enum CodingKeys: String, CodingKey {
        case connectionID = "connection_id"
    }

    /// Creates the payload.
    public init(connectionID: String) {
        self.connectionID = connectionID
    }
}
