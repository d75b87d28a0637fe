/// The last event's sequence number and hash: where the next event chains on. A backend reads it inside the
/// write transaction (under its write lock), so that writes by other processes are taken into account, and seals
/// each appended event on it.
package struct ChainHead: Sendable, Equatable {
    package var seq: Int64
    package var hash: String

    /// The head of an empty journal.
    package static let genesis = ChainHead(seq: 0, hash: EventHasher.genesis)

    package init(seq: Int64, hash: String) {
        self.seq = seq
        self.hash = hash
    }

    /// Gives `events` their `seq`, stream versions after `version` and hashes, chained on this head, which moves
    /// to the last of them.
    package mutating func seal(
        _ events: [NewEvent], stream: String, after version: Int64, recordedAt: String
    ) -> [RecordedEvent] {
        var recorded: [RecordedEvent] = []
        recorded.reserveCapacity(events.count)
        var version = version
        for event in events {
            version += 1
            let seq = self.seq + 1
            let hash = EventHasher.hash(
                prevHash: self.hash, seq: seq, eventID: event.eventID, stream: stream, streamVersion: version,
                type: event.type, schemaVersion: event.schemaVersion, userID: event.userID,
                threadID: event.threadID, runID: event.runID, connectionID: event.connectionID,
                causationSeq: event.causationSeq, correlationID: event.correlationID, recordedAt: recordedAt,
                payload: event.payload)
            recorded.append(
                RecordedEvent(
                    seq: seq, eventID: event.eventID, stream: stream, streamVersion: version, type: event.type,
                    schemaVersion: event.schemaVersion, userID: event.userID, threadID: event.threadID,
                    runID: event.runID, connectionID: event.connectionID, causationSeq: event.causationSeq,
                    correlationID: event.correlationID, payload: event.payload, recordedAt: recordedAt,
                    prevHash: self.hash, hash: hash))
            self = ChainHead(seq: seq, hash: hash)
        }
        return recorded
    }
}

/// The rules every backend applies to an append, whatever its SQL.
package enum AppendRules {
    /// Refuses an append whose expected version the stream is not at.
    package static func check(_ expected: ExpectedVersion, current: Int64, stream: String) throws {
        guard expected.admits(current) else {
            throw JournalError(
                code: .streamVersionConflict,
                message: "stream \(stream) is at version \(current), the append expected \(expected)")
        }
    }

    /// A retried append: every event id must already be recorded, in this stream, with the same type and payload.
    /// - Parameter recorded: The recorded event with each id, nil when the id is new.
    /// - Returns: The events as first recorded.
    package static func retried(
        _ events: [NewEvent], stream: String, recorded: (String) throws -> RecordedEvent?
    ) throws -> AppendResult {
        var found: [RecordedEvent] = []
        found.reserveCapacity(events.count)
        for event in events {
            guard let existing = try recorded(event.eventID) else {
                throw JournalError(
                    code: .duplicateEventID,
                    message: "the batch mixes recorded and new event ids (\(event.eventID) is new)")
            }
            guard existing.stream == stream, existing.type == event.type, existing.payload == event.payload else {
                throw JournalError(
                    code: .duplicateEventID,
                    message: "event id \(event.eventID) is already recorded at seq \(existing.seq) with other content")
            }
            found.append(existing)
        }
        return AppendResult(stream: stream, events: found, wasAlreadyRecorded: true)
    }
}
