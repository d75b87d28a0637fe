import AgentRuntime
import Foundation
import Journal

/// Builds server → client frames: flat JSON objects with `type` and `timestamp`, keys sorted.
enum FrameEncoder {
    /// The frame that carries a journal event: the payload's fields flattened, plus `type`, `seq`, `timestamp`
    /// (the event's `recorded_at`), `user_id`, `thread_id`, `run_id`.
    ///
    /// Built as a `JSONValue` and written by `JSONEncoder`: every frame of every connection comes through here,
    /// and `JSONSerialization` with sorted keys spent a quarter of the server's time comparing keys with ICU.
    static func eventFrame(_ event: RecordedEvent) -> String {
        var object = (try? JSONValue(parsing: event.payload))?.objectValue ?? [:]
        // The run state an `agent_completed` journals is for replay and resume, not part of the frame.
        if event.type == EventType.agentCompleted.rawValue { object["state"] = nil }
        object["type"] = .string(event.type)
        object["seq"] = .number(Double(event.seq))
        object["timestamp"] = .string(event.recordedAt)
        if let userID = event.userID { object["user_id"] = .string(userID) }
        if let threadID = event.threadID { object["thread_id"] = .string(threadID) }
        if let runID = event.runID { object["run_id"] = .string(runID) }
        return JSONValue.object(object).jsonText
    }

    /// A frame that answers one request on one connection (`pong`, `error`, `connection_established`, …).
    static func replyFrame(type: String, timestamp: String, fields: [String: JSONValue] = [:]) -> String {
        var object = fields
        object["type"] = .string(type)
        object["timestamp"] = .string(timestamp)
        return JSONValue.object(object).jsonText
    }

    /// An `error` frame.
    static func errorFrame(_ error: GatewayError, timestamp: String) -> String {
        replyFrame(
            type: "error", timestamp: timestamp,
            fields: ["code": .string(error.code.rawValue), "message": .string(error.message)])
    }
}
