import Foundation
import Journal

/// Writes values as JSON lines on stdout (`--json`).
enum JSONLines {
    static func print<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if let data = try? encoder.encode(value) {
            StandardOutput.write(data + Data("\n".utf8))
        }
    }

    /// A recorded event as one JSON object: its columns, with the payload as a nested object.
    static func line(for event: RecordedEvent) -> String {
        var object: [String: Any] = [
            "seq": event.seq, "event_id": event.eventID, "stream": event.stream,
            "stream_version": event.streamVersion, "type": event.type, "schema_version": event.schemaVersion,
            "recorded_at": event.recordedAt, "prev_hash": event.prevHash, "hash": event.hash,
        ]
        object["user_id"] = event.userID
        object["thread_id"] = event.threadID
        object["run_id"] = event.runID
        object["connection_id"] = event.connectionID
        object["causation_seq"] = event.causationSeq
        object["correlation_id"] = event.correlationID
        object["payload"] = (try? JSONSerialization.jsonObject(with: Data(event.payload.utf8))) ?? event.payload
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}
