import AgentRuntime
import Foundation
import Gateway
import Hummingbird
import Journal
import Synchronization

/// The trip planner's own HTTP route, added to the gateway's authenticated `/api` group:
/// `GET /api/trips/latest` answers the caller's newest trip, read from the journal (a run's state is journaled
/// with every `agent_completed`).
///
/// The routes are registered before the server has opened its journal (``GoldenPathServer`` takes them in its
/// initializer), so the journal is attached afterwards with ``attach(_:)``.
final class TripRoutes: Sendable {
    private let queries = Mutex<RunQueries?>(nil)

    /// Reads from `journal` from now on.
    func attach(_ journal: EventJournal) {
        queries.withLock { $0 = RunQueries(journal: journal) }
    }

    /// Adds `GET trips/latest` to `api` (the `/api` group behind the authentication middleware).
    func register(on api: RouterGroup<GatewayRequestContext>) {
        api.get("trips/latest") { _, context -> LatestTrip in
            let user = try context.requireUser()
            return try await self.latest(ofUser: user.userID)
        }
    }

    /// The user's newest run and its latest journaled trip.
    /// - Throws: `NOT_FOUND` when the user has no run; `INTERNAL` before ``attach(_:)``; `JournalError`.
    func latest(ofUser userID: String) async throws -> LatestTrip {
        guard let queries = queries.withLock({ $0 }) else {
            throw GatewayError(code: .internal, message: "the trip routes have no journal yet")
        }
        guard let run = try await queries.runs(user: userID, limit: 1).first,
            let events = try await queries.runEvents(id: run.runID, ofUser: userID)
        else {
            throw GatewayError(code: .notFound, message: "no trip yet")
        }
        let state = events.reversed().lazy.filter { $0.type == EventType.agentCompleted.rawValue }
            .compactMap { (try? JSONValue(parsing: $0.payload))?["state"] }.first
        let trip = state.flatMap { try? JSONDecoder().decode(Trip.self, from: Data($0.jsonText.utf8)) }
        return LatestTrip(
            runID: run.runID, status: run.status.rawValue, finalResponse: run.finalResponse, trip: trip)
    }
}
