public import Foundation

/// An event as the journal recorded it: the appended content plus its place in the log and its hash.
public struct RecordedEvent: Sendable, Hashable {
    /// The global sequence number: 1, 2, 3, … with no gaps.
    public var seq: Int64
    /// The idempotency key given at append time.
    public var eventID: String
    /// The stream the event was appended to (`run:<run_id>`, …).
    public var stream: String
    /// The event's position in its stream: 1, 2, 3, … with no gaps.
    public var streamVersion: Int64
    /// The event's type string.
    public var type: String
    /// The payload's schema version.
    public var schemaVersion: Int
    /// The owner.
    public var userID: String?
    /// The thread, if any.
    public var threadID: String?
    /// The run, if any.
    public var runID: String?
    /// The connection, if any.
    public var connectionID: String?
    /// The sequence number of the causing event, if any.
    public var causationSeq: Int64?
    /// The correlation id, if any.
    public var correlationID: String?
    /// The payload as JSON text.
    public var payload: String
    /// When the journal recorded the event, as ISO 8601 UTC text with milliseconds.
    public var recordedAt: String
    /// The previous event's hash (64 zeros for the first event).
    public var prevHash: String
    /// The hex SHA-256 of `prevHash` and this event's canonical content.
    public var hash: String

    /// Creates a recorded event. Only the journal and tests make these.
    public init(
        seq: Int64, eventID: String, stream: String, streamVersion: Int64, type: String, schemaVersion: Int,
        userID: String?, threadID: String?, runID: String?, connectionID: String?, causationSeq: Int64?,
        correlationID: String?, payload: String, recordedAt: String, prevHash: String, hash: String
    ) {
        self.seq = seq
        self.eventID = eventID
        self.stream = stream
        self.streamVersion = streamVersion
        self.type = type
        self.schemaVersion = schemaVersion
        self.userID = userID
        self.threadID = threadID
        self.runID = runID
        self.connectionID = connectionID
        self.causationSeq = causationSeq
        self.correlationID = correlationID
        self.payload = payload
        self.recordedAt = recordedAt
        self.prevHash = prevHash
        self.hash = hash
    }

    /// Decodes the payload with the given decoder.
    /// - Throws: `JournalError` with code `invalidPayload` when the payload does not decode as `T`.
    public func decodePayload<T: Decodable>(_ type: T.Type, using decoder: JSONDecoder = JSONDecoder()) throws -> T {
        do {
            return try decoder.decode(T.self, from: Data(payload.utf8))
        } catch {
            throw JournalError(
                code: .invalidPayload, message: "event \(seq) (\(self.type)) has a payload that does not decode",
                cause: error)
        }
    }
}
