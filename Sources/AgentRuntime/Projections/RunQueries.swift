import GRDB
import Journal

/// The reads the gateway and the command line make over the Agents projections, each scoped to an owner.
///
/// Every method that takes `ofUser` answers nil (or an empty list) for another user's thread or run, exactly as
/// for an unknown id, so a caller cannot learn that a foreign id exists.
public struct RunQueries: Sendable {
    /// The journal read from.
    public let journal: EventJournal

    /// Creates the queries over a journal opened with ``AgentsJournal/configure(_:)``.
    public init(journal: EventJournal) {
        self.journal = journal
    }

    /// The user's threads, most recently updated first.
    /// - Throws: `JournalError` when the journal cannot be read.
    public func threads(ofUser userID: String, limit: Int = 100) async throws -> [ThreadRecord] {
        try await journal.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM threads WHERE user_id = ? ORDER BY updated_at DESC, thread_id LIMIT ?",
                arguments: [userID, limit]
            ).map(Self.thread(from:))
        }
    }

    /// The transcript of one of the user's threads, oldest first; nil when the thread is not the user's.
    /// - Throws: `JournalError` when the journal cannot be read.
    public func messages(inThread threadID: String, ofUser userID: String) async throws -> [MessageRecord]? {
        try await journal.read { db in
            guard try Self.owner(ofThread: threadID, in: db) == userID else { return nil }
            return try Row.fetchAll(
                db, sql: "SELECT * FROM messages WHERE thread_id = ? AND user_id = ? ORDER BY seq",
                arguments: [threadID, userID]
            ).map { row in
                MessageRecord(
                    seq: row["seq"], threadID: row["thread_id"], runID: row["run_id"], userID: row["user_id"],
                    role: MessageRecord.Role(rawValue: row["role"]) ?? .user, content: row["content"],
                    createdAt: row["created_at"])
            }
        }
    }

    /// One of the user's runs; nil when it is unknown or another user's.
    /// - Throws: `JournalError` when the journal cannot be read.
    public func run(id runID: String, ofUser userID: String) async throws -> RunRecord? {
        try await journal.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM runs WHERE run_id = ? AND user_id = ?", arguments: [runID, userID]
            )
            .map(Self.run(from:))
        }
    }

    /// Any run by id, whoever owns it (for the command line and recovery).
    /// - Throws: `JournalError` when the journal cannot be read.
    public func run(id runID: String) async throws -> RunRecord? {
        try await journal.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE run_id = ?", arguments: [runID]).map(Self.run(from:))
        }
    }

    /// The events of one of the user's runs, in order; nil when the run is unknown or another user's.
    /// - Throws: `JournalError` when the journal cannot be read.
    public func runEvents(id runID: String, ofUser userID: String) async throws -> [RecordedEvent]? {
        guard try await run(id: runID, ofUser: userID) != nil else { return nil }
        return try await journal.events(filter: .stream(EventStreams.run(runID))).filter { $0.userID == userID }
    }

    /// The owner of a thread; nil for an unknown thread.
    /// - Throws: `JournalError` when the journal cannot be read.
    public func threadOwner(_ threadID: String) async throws -> String? {
        try await journal.read { db in try Self.owner(ofThread: threadID, in: db) }
    }

    /// The runs that have no terminal event yet, oldest first.
    /// - Throws: `JournalError` when the journal cannot be read.
    public func openRuns() async throws -> [RunRecord] {
        try await journal.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runs WHERE ended_at IS NULL ORDER BY first_seq")
                .map(Self.run(from:))
        }
    }

    /// Runs, newest first, optionally of one user and one status.
    /// - Throws: `JournalError` when the journal cannot be read.
    public func runs(user userID: String? = nil, status: RunStatus? = nil, limit: Int = 100) async throws
        -> [RunRecord]
    {
        try await journal.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM runs
                    WHERE (?1 IS NULL OR user_id = ?1) AND (?2 IS NULL OR status = ?2)
                    ORDER BY first_seq DESC LIMIT ?3
                    """,
                arguments: [userID, status?.rawValue, limit]
            ).map(Self.run(from:))
        }
    }

    static func owner(ofThread threadID: String, in db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT user_id FROM threads WHERE thread_id = ?", arguments: [threadID])
    }

    static func run(from row: Row) -> RunRecord {
        let agents: String = row["agents"]
        return RunRecord(
            runID: row["run_id"], userID: row["user_id"], threadID: row["thread_id"],
            status: RunStatus(rawValue: row["status"]) ?? .pending, currentAgent: row["current_agent"],
            eventCount: row["event_count"], startedAt: row["started_at"], endedAt: row["ended_at"],
            degraded: row["degraded"], errorCode: row["error_code"], finalResponse: row["final_response"],
            agents: agents.split(separator: ",").map(String.init), path: row["path"], firstSeq: row["first_seq"],
            lastSeq: row["last_seq"])
    }

    static func thread(from row: Row) -> ThreadRecord {
        ThreadRecord(
            threadID: row["thread_id"], userID: row["user_id"], title: row["title"], createdAt: row["created_at"],
            updatedAt: row["updated_at"], messageCount: row["message_count"], lastRunID: row["last_run_id"])
    }
}

extension RunQueries {
    /// The run and owner of the event with this id, if it is recorded.
    /// - Throws: `JournalError` when the journal cannot be read.
    public func run(ofEvent eventID: String) async throws -> (runID: String, userID: String?)? {
        try await journal.read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT run_id, user_id FROM events WHERE event_id = ?", arguments: [eventID])
            else { return nil }
            let runID: String? = row["run_id"]
            let userID: String? = row["user_id"]
            return runID.map { ($0, userID) }
        }
    }
}
