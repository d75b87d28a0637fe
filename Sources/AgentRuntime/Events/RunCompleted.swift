/// `run_completed` (frame, terminal): the run ended with an answer.
public struct RunCompleted: Codable, Sendable, Hashable {
    /// Always `completed`.
    public var status: RunStatus
    /// The answer.
    public var finalResponse: String
    /// True when some step failed and the answer says what is missing.
    public var degraded: Bool

    enum CodingKeys: String, CodingKey {
        case status, finalResponse = "final_response", degraded
    }

    /// Creates the payload.
    public init(finalResponse: String, degraded: Bool) {
        self.status = .completed
        self.finalResponse = finalResponse
        self.degraded = degraded
    }
}
