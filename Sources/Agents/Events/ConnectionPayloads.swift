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

/// `input_rejected`: a client frame was refused with an error code.
public struct InputRejected: Codable, Sendable, Hashable {
    /// The connection that sent it.
    public var connectionID: String
    /// The protocol error code (`INVALID_JSON`, `RATE_LIMITED`, …).
    public var code: String
    /// The message sent back.
    public var message: String
    /// How many rejections with this code from this connection this record stands for.
    public var repeatCount: Int

    enum CodingKeys: String, CodingKey {
        case connectionID = "connection_id", code, message, repeatCount = "repeat_count"
    }

    /// Creates the payload.
    public init(connectionID: String, code: String, message: String, repeatCount: Int = 1) {
        self.connectionID = connectionID
        self.code = code
        self.message = message
        self.repeatCount = repeatCount
    }
}

/// `user_signed_up`: a user account was created (stream `user:<id>`).
public struct UserSignedUp: Codable, Sendable, Hashable {
    /// The chosen name.
    public var username: String

    /// Creates the payload.
    public init(username: String) {
        self.username = username
    }
}
