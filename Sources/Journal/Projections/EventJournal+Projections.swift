import GRDB

extension EventJournal {
    /// Empties every inline projection's tables and folds the whole log into them again, in one transaction.
    /// - Throws: `JournalError` when the journal is not writable, or a projection's error.
    public func rebuildProjections() async throws {
        let projections = configuration.inlineProjections
        try await write { db in try Self.rebuild(projections, in: db) }
    }

    /// Folds the events after a checkpointed projection's checkpoint into its tables and moves the checkpoint.
    /// - Returns: The sequence number the projection has now folded up to.
    public func catchUp(_ projection: any JournalProjection) async throws -> Int64 {
        try await write { db in
            let checkpoint =
                try Int64.fetchOne(
                    db, sql: "SELECT seq FROM projection_checkpoints WHERE name = ?", arguments: [projection.name]) ?? 0
            var last = checkpoint
            let rows = try Row.fetchCursor(
                db, sql: "SELECT \(RecordedEvent.selection) FROM events WHERE seq > ? ORDER BY seq",
                arguments: [checkpoint])
            while let row = try rows.next() {
                let event = RecordedEvent(row: row)
                try projection.apply(event, in: db)
                last = event.seq
            }
            try db.execute(
                sql: """
                    INSERT INTO projection_checkpoints (name, seq) VALUES (?, ?)
                    ON CONFLICT (name) DO UPDATE SET seq = excluded.seq
                    """,
                arguments: [projection.name, last])
            return last
        }
    }

    /// Empties the projections' tables and folds every event into them. With `onError`, an event that a
    /// projection cannot fold is handed to it and the fold goes on (verify reports it); without, the error is thrown.
    static func rebuild(
        _ projections: [any JournalProjection], in db: Database,
        onError: ((RecordedEvent, any JournalProjection, any Error) -> Void)? = nil
    ) throws {
        for projection in projections {
            for table in projection.tables {
                try db.execute(sql: "DELETE FROM \(table.quotedDatabaseIdentifier)")
            }
        }
        let rows = try Row.fetchCursor(db, sql: "SELECT \(RecordedEvent.selection) FROM events ORDER BY seq")
        while let row = try rows.next() {
            let event = RecordedEvent(row: row)
            for projection in projections {
                guard let onError else {
                    try projection.apply(event, in: db)
                    continue
                }
                do {
                    try db.inSavepoint {
                        try projection.apply(event, in: db)
                        return .commit
                    }
                } catch {
                    onError(event, projection, error)
                }
            }
        }
    }
}
