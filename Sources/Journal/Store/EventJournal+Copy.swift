extension EventJournal {
    /// Whether ``backup(to:)`` works: an SQLite journal, copied as a file.
    package var canBackUp: Bool { (try? sqlite()) != nil }

    /// Appends every event of this journal, in `seq` order, to `target` — a journal with no events yet, of any
    /// backend: the same ids, streams, types, metadata and payloads, so each event keeps its `seq` (and its
    /// causation points where it did); `recorded_at` and the hash chain are the target's own. How `replay --verify`
    /// gets a scratch SQLite copy of a journal that cannot be backed up as a file.
    ///
    /// Events are read in pages and appended stream run by stream run, ordered (group commit batches them); the
    /// last append of each page waits for its commit, and the target's head is checked at the end, so the copy is
    /// whole when this returns.
    /// - Throws: `JournalError` (`storage`) when `target` already has events, or a copied event lands at another
    ///   `seq` (this journal changed meanwhile, or has gaps); what reading or appending throws.
    package func copyEvents(into target: EventJournal, pageSize: Int = 2_000) async throws {
        guard try await target.headSeq() == 0 else {
            throw JournalError(code: .storage, message: "the journal to copy into already has events")
        }
        var cursor: Int64 = 0
        while true {
            let page = try await events(after: cursor, limit: pageSize)
            guard let last = page.last else { break }
            var start = page.startIndex
            while start < page.endIndex {
                let stream = page[start].stream
                var end = start + 1
                while end < page.endIndex, page[end].stream == stream { end += 1 }
                let run = page[start..<end]
                let result = try await target.append(
                    run.map(NewEvent.init(copying:)), to: stream, completion: end == page.endIndex ? .committed : .ordered)
                guard result.events.map(\.seq) == run.map(\.seq) else {
                    throw JournalError(
                        code: .storage,
                        message: "copied events of \(stream) landed at other seqs than \(run.map(\.seq))")
                }
                start = end
            }
            cursor = last.seq
            if page.count < pageSize { break }
        }
        let copied = try await target.headSeq()
        guard copied == cursor else {
            throw JournalError(code: .storage, message: "the copy ends at seq \(copied), the journal at \(cursor)")
        }
    }
}

extension NewEvent {
    /// The event `recorded` as it was appended: its id, type, schema version, metadata and payload.
    init(copying recorded: RecordedEvent) {
        self.init(
            eventID: recorded.eventID, type: recorded.type, schemaVersion: recorded.schemaVersion,
            userID: recorded.userID, threadID: recorded.threadID, runID: recorded.runID,
            connectionID: recorded.connectionID, causationSeq: recorded.causationSeq,
            correlationID: recorded.correlationID, payload: recorded.payload)
    }
}
