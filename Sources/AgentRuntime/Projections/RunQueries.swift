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
        try await journal.rows(
            RowQuery(
                from: "threads", columns: Self.threadColumns, where: [.equals("user_id", .text(userID))],
                orderBy: [.init("updated_at", descending: true), "thread_id"], limit: limit)
        ).map(Self.thread(from:))
    }

    /// The transcript of one of the user's threads, oldest first; nil when the thread is not the user's.
    /// - Throws: `JournalError` when the journal cannot be read.
    public func messages(inThread threadID: String, ofUser userID: String) async throws -> [MessageRecord]? {
        try await journal.reading { snapshot in
            guard try Self.owner(ofThread: threadID, in: snapshot) == userID else { return nil }
            return try snapshot.rows(
                RowQuery(
                    from: "messages", columns: ["seq", "thread_id", "run_id", "user_id", "role", "content", "created_at"],
                    where: [.equals("thread_id", .text(threadID)), .equals("user_id", .text(userID))], orderBy: ["seq"])
            ).map { row in
                MessageRecord(
                    seq: row["seq"]?.integerValue ?? 0, threadID: row["thread_id"]?.textValue ?? "",
                    runID: row["run_id"]?.textValue ?? "", userID: row["user_id"]?.textValue ?? "",
                    role: row["role"]?.textValue.flatMap(MessageRecord.Role.init(rawValue:)) ?? .user,
                    content: row["content"]?.textValue ?? "", createdAt: row["created_at"]?.textValue ?? "")
            }
        }
    }

    /// One of the user's runs; nil when it is unknown or another user's.
    /// - Throws: `JournalError` when the journal cannot be read.
    public func run(id runID: String, ofUser userID: String) async throws -> RunRecord? {
        try await runs([.equals("run_id", .text(runID)), .equals("user_id", .text(userID))]).first
    }

    /// Any run by id, whoever owns it (for the command line and recovery).
    /// - Throws: `JournalError` when the journal cannot be read.
    public func run(id runID: String) async throws -> RunRecord? {
        try await runs([.equals("run_id", .text(runID))]).first
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
        try await journal.reading { snapshot in try Self.owner(ofThread: threadID, in: snapshot) }
    }

    /// The runs that have no terminal event yet, oldest first.
    /// - Throws: `JournalError` when the journal cannot be read.
    public func openRuns() async throws -> [RunRecord] {
        try await runs([.isNull("ended_at")], orderBy: ["first_seq"])
    }

    /// Runs, newest first, optionally of one user and one status.
    /// - Throws: `JournalError` when the journal cannot be read.
    public func runs(user userID: String? = nil, status: RunStatus? = nil, limit: Int = 100) async throws
        -> [RunRecord]
    {
        var conditions: [RowQuery.Condition] = []
        if let userID { conditions.append(.equals("user_id", .text(userID))) }
        if let status { conditions.append(.equals("status", .text(status.rawValue))) }
        return try await runs(conditions, orderBy: [.init("first_seq", descending: true)], limit: limit)
    }

    private func runs(
        _ conditions: [RowQuery.Condition], orderBy: [RowQuery.Order] = [], limit: Int? = nil
    ) async throws -> [RunRecord] {
        try await journal.rows(
            RowQuery(
                from: "runs", columns: RunRecord.table.columns.map(\.name), where: conditions, orderBy: orderBy,
                limit: limit)
        ).map(RunRecord.init(row:))
    }

    static func owner(ofThread threadID: String, in snapshot: JournalSnapshot) throws -> String? {
        try snapshot.rows(
            RowQuery(from: "threads", columns: ["user_id"], where: [.equals("thread_id", .text(threadID))])
        ).first?["user_id"]?.textValue
    }

    static let threadColumns = [
        "thread_id", "user_id", "title", "created_at", "updated_at", "message_count", "last_run_id",
    ]

    static func thread(from row: ProjectionRow) -> ThreadRecord {
        ThreadRecord(
            threadID: row["thread_id"]?.textValue ?? "", userID: row["user_id"]?.textValue ?? "",
            title: row["title"]?.textValue ?? "", createdAt: row["created_at"]?.textValue ?? "",
            updatedAt: row["updated_at"]?.textValue ?? "", messageCount: Int(row["message_count"]?.integerValue ?? 0),
            lastRunID: row["last_run_id"]?.textValue)
    }
}

extension RunQueries {
    /// The run and owner of the event with this id, if it is recorded.
    /// - Throws: `JournalError` when the journal cannot be read.
    public func run(ofEvent eventID: String) async throws -> (runID: String, userID: String?)? {
        let rows = try await journal.rows(
            RowQuery(from: "events", columns: ["run_id", "user_id"], where: [.equals("event_id", .text(eventID))]))
        guard let row = rows.first, let runID = row["run_id"]?.textValue else { return nil }
        return (runID, row["user_id"]?.textValue)
    }
}
