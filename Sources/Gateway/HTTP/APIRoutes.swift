import AgentRuntime
import Foundation
import Hummingbird
import Journal

/// `GET /api/threads`, `/api/threads/{id}/messages`, `/api/runs?limit=N`, `/api/runs/{id}`,
/// `/api/runs/{id}/events`: the caller's own data only; another user's thread or run answers 404 exactly like an
/// unknown id.
struct APIRoutes: Sendable {
    let queries: RunQueries

    struct ThreadList: ResponseEncodable {
        var threads: [ThreadRecord]
    }

    struct MessageList: ResponseEncodable {
        var threadID: String
        var messages: [MessageRecord]

        enum CodingKeys: String, CodingKey {
            case threadID = "thread_id", messages
        }
    }

    struct RunList: ResponseEncodable {
        var runs: [RunRecord]
    }

    struct EventList: ResponseEncodable {
        var runID: String
        var events: [EventBody]

        enum CodingKeys: String, CodingKey {
            case runID = "run_id", events
        }
    }

    /// One event as JSON: the envelope's columns, the payload as an object, and the frames that carried it.
    struct EventBody: Encodable {
        var seq: Int64
        var type: String
        var userID: String?
        var threadID: String?
        var runID: String?
        var causationSeq: Int64?
        var recordedAt: String
        var payload: JSONValue
        /// One per connection the event was written to as a frame (SPEC §3); empty for an event that is no frame.
        var deliveries: [Delivery] = []

        enum CodingKeys: String, CodingKey {
            case seq, type, userID = "user_id", threadID = "thread_id", runID = "run_id",
                causationSeq = "causation_seq", recordedAt = "recorded_at", payload, deliveries
        }
    }

    /// A frame written to one connection: which, and when its `deliveries` row was recorded.
    struct Delivery: Encodable {
        var connectionID: String
        var sentAt: String

        enum CodingKeys: String, CodingKey {
            case connectionID = "connection_id", sentAt = "sent_at"
        }
    }

    /// The most runs `GET /api/runs` lists, and how many without `limit`.
    static let runListLimits = (default: 20, maximum: 200)

    /// Registers the routes on `api`, the `/api` group behind ``AuthenticationMiddleware``.
    func register(on api: RouterGroup<GatewayRequestContext>) {
        api.get("threads") { _, context -> ThreadList in
            let user = try context.requireUser()
            return ThreadList(threads: try await queries.threads(ofUser: user.userID))
        }
        api.get("threads/:id/messages") { _, context -> MessageList in
            let user = try context.requireUser()
            let threadID = try context.parameters.require("id")
            guard let messages = try await queries.messages(inThread: threadID, ofUser: user.userID) else {
                throw GatewayError(code: .notFound, message: "no such thread")
            }
            return MessageList(threadID: threadID, messages: messages)
        }
        api.get("runs") { request, context -> RunList in
            let user = try context.requireUser()
            var limit = Self.runListLimits.default
            if let text = request.uri.queryParameters.get("limit") {
                guard let value = Int(text), (1...Self.runListLimits.maximum).contains(value) else {
                    throw GatewayError(
                        code: .invalidRequest, message: "limit must be 1 to \(Self.runListLimits.maximum)")
                }
                limit = value
            }
            return RunList(runs: try await queries.runs(user: user.userID, limit: limit))
        }
        api.get("runs/:id") { _, context -> RunResponse in
            let user = try context.requireUser()
            let runID = try context.parameters.require("id")
            guard let run = try await queries.run(id: runID, ofUser: user.userID) else {
                throw GatewayError(code: .notFound, message: "no such run")
            }
            return RunResponse(run: run)
        }
        api.get("runs/:id/events") { _, context -> EventList in
            let user = try context.requireUser()
            let runID = try context.parameters.require("id")
            guard let events = try await queries.runEvents(id: runID, ofUser: user.userID) else {
                throw GatewayError(code: .notFound, message: "no such run")
            }
            // Only the caller's own connections: a delivery to anyone else would be a leak `verify` reports.
            var deliveries: [Int64: [Delivery]] = [:]
            for entry in try await RunInspector(journal: queries.journal).timeline(runID: runID) ?? [] {
                deliveries[entry.seq] = entry.deliveries.filter { $0.recipientUserID == user.userID }.map {
                    Delivery(connectionID: $0.connectionID, sentAt: $0.sentAt)
                }
            }
            return EventList(
                runID: runID,
                events: events.map { event in
                    var body = Self.body(of: event)
                    body.deliveries = deliveries[event.seq] ?? []
                    return body
                })
        }
    }

    static func body(of event: RecordedEvent) -> EventBody {
        let payload = (try? JSONValue(parsing: event.payload)) ?? .null
        return EventBody(
            seq: event.seq, type: event.type, userID: event.userID, threadID: event.threadID, runID: event.runID,
            causationSeq: event.causationSeq, recordedAt: event.recordedAt, payload: payload)
    }
}

/// A run record as a response body, encoded as the record itself.
struct RunResponse: ResponseEncodable {
    var run: RunRecord

    func encode(to encoder: any Encoder) throws { try run.encode(to: encoder) }
}
