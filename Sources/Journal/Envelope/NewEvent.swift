public import Foundation

/// An event to append: an owner, the ids that place it, a type string and a JSON payload.
///
/// The journal is generic: it stores the type string and payload as given. Typed vocabularies live above it.
public struct NewEvent: Sendable, Hashable {
    /// The idempotency key: appending an event whose `eventID` is already recorded returns the original sequence.
    public var eventID: String
    /// The event's type string (`agent_started`, …).
    public var type: String
    /// The version of the payload's schema, so that readers can upcast older payloads.
    public var schemaVersion: Int
    /// The owner of the event.
    public var userID: String?
    /// The thread the event belongs to, if any.
    public var threadID: String?
    /// The run the event belongs to, if any.
    public var runID: String?
    /// The connection the event concerns, if any.
    public var connectionID: String?
    /// The sequence number of the event that caused this one.
    public var causationSeq: Int64?
    /// An id shared by every event of one piece of work (a request, a run).
    public var correlationID: String?
    /// The payload as compact JSON text. The journal refuses text that is not valid JSON.
    public var payload: String

    /// Creates an event from a payload that is already JSON text.
    public init(
        eventID: String = UUID().uuidString.lowercased(),
        type: String,
        schemaVersion: Int = 1,
        userID: String? = nil,
        threadID: String? = nil,
        runID: String? = nil,
        connectionID: String? = nil,
        causationSeq: Int64? = nil,
        correlationID: String? = nil,
        payload: String
    ) {
        self.eventID = eventID
        self.type = type
        self.schemaVersion = schemaVersion
        self.userID = userID
        self.threadID = threadID
        self.runID = runID
        self.connectionID = connectionID
        self.causationSeq = causationSeq
        self.correlationID = correlationID
        self.payload = payload
    }
}
