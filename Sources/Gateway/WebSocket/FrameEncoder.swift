import Foundation
import Journal

/// Builds server → client frames: flat JSON objects with `type` and `timestamp`.
enum FrameEncoder {
    /// The frame that carries a journal event: the payload's fields flattened, plus `type`, `seq`, `timestamp`
    /// (the event's `recorded_at`), `user_id`, `thread_id`, `run_id`.
    static func eventFrame(_ event: RecordedEvent) -> String {
        var object: [String: Any] = [:]
        if let data = event.payload.data(using: .utf8),
            let payload = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        {
            object = payload
        }
        object["type"] = event.type
        object["seq"] = Int(event.seq)
        object["timestamp"] = event.recordedAt
        if let userID = event.userID { object["user_id"] = userID }
        if let threadID = event.threadID { object["thread_id"] = threadID }
        if let runID = event.runID { object["run_id"] = runID }
        return serialize(object)
    }

    /// A frame that answers one request on one connection (`pong`, `error`, `connection_established`, …).
    static func replyFrame(type: String, timestamp: String, fields: [String: Any] = [:]) -> String {
        var object = fields
        object["type"] = type
        object["timestamp"] = timestamp
        return serialize(object)
    }

    /// An `error` frame.
    static func errorFrame(_ error: GatewayError, timestamp: String) -> String {
        replyFrame(
            type: "error", timestamp: timestamp, fields: ["code": error.code.rawValue, "message": error.message])
    }

    /// Serializes an object of JSON-compatible values; `{}` if it cannot (never for the values built here).
    static func serialize(_ object: [String: Any]) -> String {
        guard JSONSerialization.isValidJSONObject(object),
            let data = try? JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]),
            let text = String(data: data, encoding: .utf8)
        else { return "{}" }
        return text
    }
}
