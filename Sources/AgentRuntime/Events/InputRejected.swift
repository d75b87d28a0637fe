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
