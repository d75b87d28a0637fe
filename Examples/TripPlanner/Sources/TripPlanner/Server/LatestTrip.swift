import AgentRuntime
import Hummingbird

/// The answer of `GET /api/trips/latest`: the caller's newest run and its trip as last journaled.
public struct LatestTrip: ResponseEncodable, Decodable, Sendable, Hashable {
    /// The run.
    public var runID: String
    /// The run's status (`running`, `completed`, …).
    public var status: String
    /// The run's answer, once it completed.
    public var finalResponse: String?
    /// The trip from the run's latest `agent_completed` (nil before the first agent finished).
    public var trip: Trip?

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", status, finalResponse = "final_response", trip
    }

    /// Creates an answer.
    public init(runID: String, status: String, finalResponse: String?, trip: Trip?) {
        self.runID = runID
        self.status = status
        self.finalResponse = finalResponse
        self.trip = trip
    }
}
