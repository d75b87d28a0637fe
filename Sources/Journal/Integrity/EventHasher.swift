import Crypto
import Foundation

/// Computes the hash chain: each event's hash is the hex SHA-256 of the previous hash and its canonical content.
///
/// The canonical content is these fields, in this order, each followed by one byte 0x1F (unit separator):
/// `prev_hash, seq, event_id, stream, stream_version, type, schema_version, user_id, thread_id, run_id,
/// connection_id, causation_seq, correlation_id, recorded_at, payload`; integers in decimal, an absent value as
/// the empty string. docs/JOURNAL.md documents the same.
public enum EventHasher {
    /// The `prev_hash` of the first event: 64 zeros.
    public static let genesis = String(repeating: "0", count: 64)

    /// The hash of an event whose fields are given, chained on `prevHash`.
    public static func hash(
        prevHash: String, seq: Int64, eventID: String, stream: String, streamVersion: Int64, type: String,
        schemaVersion: Int, userID: String?, threadID: String?, runID: String?, connectionID: String?,
        causationSeq: Int64?, correlationID: String?, recordedAt: String, payload: String
    ) -> String {
        var hasher = SHA256()
        let separator: [UInt8] = [0x1F]
        func add(_ text: String) {
            var text = text
            text.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
            hasher.update(data: separator)
        }
        add(prevHash)
        add(String(seq))
        add(eventID)
        add(stream)
        add(String(streamVersion))
        add(type)
        add(String(schemaVersion))
        add(userID ?? "")
        add(threadID ?? "")
        add(runID ?? "")
        add(connectionID ?? "")
        add(causationSeq.map(String.init) ?? "")
        add(correlationID ?? "")
        add(recordedAt)
        add(payload)
        return hex(hasher.finalize())
    }

    /// The hash a recorded event should have, recomputed from its fields.
    public static func hash(of event: RecordedEvent) -> String {
        hash(
            prevHash: event.prevHash, seq: event.seq, eventID: event.eventID, stream: event.stream,
            streamVersion: event.streamVersion, type: event.type, schemaVersion: event.schemaVersion,
            userID: event.userID, threadID: event.threadID, runID: event.runID, connectionID: event.connectionID,
            causationSeq: event.causationSeq, correlationID: event.correlationID, recordedAt: event.recordedAt,
            payload: event.payload)
    }

    private static let digits = Array("0123456789abcdef".utf8)

    private static func hex(_ digest: SHA256.Digest) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(64)
        for byte in digest {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
