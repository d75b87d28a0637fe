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

    /// The run's process stopped (shutdown, crash) before the run ended; the same words however it stopped, so
    /// that `replay --verify` of an interrupted run compares equal (the `run_recovery` before it says more).
    public static let interrupted = RunFailed(
        errorCode: "INTERRUPTED", message: "the server stopped before the run finished")
}
