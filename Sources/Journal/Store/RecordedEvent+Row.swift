import GRDB

extension RecordedEvent {
    /// The columns every read selects, in the order `init(row:)` reads them.
    static let selection = """
        seq, event_id, stream, stream_version, type, schema_version, user_id, thread_id, run_id, connection_id, \
        causation_seq, correlation_id, payload, recorded_at, prev_hash, hash
        """

    /// Reads an event from a row of `selection`.
    init(row: Row) {
        self.init(
            seq: row[0], eventID: row[1], stream: row[2], streamVersion: row[3], type: row[4], schemaVersion: row[5],
            userID: row[6], threadID: row[7], runID: row[8], connectionID: row[9], causationSeq: row[10],
            correlationID: row[11], payload: row[12], recordedAt: row[13], prevHash: row[14], hash: row[15])
    }
}
