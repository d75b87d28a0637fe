/// `run_cancelled` (frame, terminal): the user stopped the run.
public struct RunCancelled: Codable, Sendable, Hashable {
    /// Always `cancelled`.
    public var status: RunStatus
    /// Why, as a code (`CANCELLED`), or `null`.
    public var errorCode: String?
    /// Why, for people, or `null`.
    public var message: String?

    enum CodingKeys: String, CodingKey {
        case status, errorCode = "error_code", message
    }

    /// Creates the payload.
    public init(errorCode: String? = "CANCELLED", message: String? = "the run was stopped by its user") {
        self.status = .cancelled
        self.errorCode = errorCode
        self.message = message
    }

    /// Encodes every field, absent ones as `null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encode(errorCode, forKey: .errorCode)
        try container.encode(message, forKey: .message)
    }
}
