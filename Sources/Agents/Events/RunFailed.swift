/// `run_failed` (frame, terminal): the pipeline could not go on.
public struct RunFailed: Codable, Sendable, Hashable {
    /// Always `failed`.
    public var status: RunStatus
    /// `JOURNAL_UNAVAILABLE`, `INTERRUPTED`, `INTERNAL` or `TIMEOUT`.
    public var errorCode: String
    /// A sentence for people.
    public var message: String

    enum CodingKeys: String, CodingKey {
        case status, errorCode = "error_code", message
    }

    /// Creates the payload.
    public init(errorCode: String, message: String) {
        self.status = .failed
        self.errorCode = errorCode
        self.message = message
    }
}
