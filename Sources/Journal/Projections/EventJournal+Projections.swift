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
            let events = try db.cachedStatement(
                sql: "SELECT \(RecordedEvent.selection) FROM events WHERE seq > ? ORDER BY seq")
            try events.setArguments([checkpoint])
            try RecordedEvent.forEach(in: events) { event in
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
        let events = try db.cachedStatement(sql: "SELECT \(RecordedEvent.selection) FROM events ORDER BY seq")
        guard let onError else {
            try RecordedEvent.forEach(in: events) { event in
                for projection in projections { try projection.apply(event, in: db) }
            }
            return
        }
        // Folds that may fail: optimistically a chunk of events at a time in one savepoint; a chunk in which a
        // fold fails is rolled back and folded again one event and projection at a time, each in its own
        // savepoint, so that the failing folds are reported and the others kept. (A savepoint per fold cost as
        // much as the folds: verify folds every event into every projection.)
        let chunkSize = 1_000
        var chunk: [RecordedEvent] = []
        chunk.reserveCapacity(chunkSize)
        func foldChunk() throws {
            guard !chunk.isEmpty else { return }
            defer { chunk.removeAll(keepingCapacity: true) }
            try db.execute(sql: "SAVEPOINT fold_chunk")
            do {
                for event in chunk {
                    for projection in projections { try projection.apply(event, in: db) }
                }
                try db.execute(sql: "RELEASE SAVEPOINT fold_chunk")
                return
            } catch {
                try db.execute(sql: "ROLLBACK TO SAVEPOINT fold_chunk")
                try db.execute(sql: "RELEASE SAVEPOINT fold_chunk")
            }
            for event in chunk {
                for projection in projections {
                    try db.execute(sql: "SAVEPOINT fold")
                    do {
                        try projection.apply(event, in: db)
                        try db.execute(sql: "RELEASE SAVEPOINT fold")
                    } catch {
                        try db.execute(sql: "ROLLBACK TO SAVEPOINT fold")
                        try db.execute(sql: "RELEASE SAVEPOINT fold")
                        onError(event, projection, error)
                    }
                }
            }
        }
        try RecordedEvent.forEach(in: events) { event in
            chunk.append(event)
            if chunk.count == chunkSize { try foldChunk() }
        }
        try foldChunk()
    }
}
