public import Journal

extension EventJournal {
    /// Opens the journal in a PostgreSQL database (SPEC section 7), creating its tables if needed: several
    /// processes may open the same database; each keeps its writer and its subscriptions see every process's events.
    ///
    /// ```swift
    /// let journal = try await EventJournal.open(databaseURL: "postgres://goldenpath@db.internal/goldenpath")
    /// ```
    /// - Parameter databaseURL: `postgres://USER[:PASSWORD]@HOST[:PORT]/DB`, optionally `?search_path=SCHEMA`.
    /// - Throws: `JournalError` (`cannotOpen`) when the URL is wrong, the server cannot be reached, or a
    ///   configured migration has no PostgreSQL SQL.
    public static func open(
        databaseURL: String, configuration: JournalConfiguration = JournalConfiguration()
    ) async throws -> EventJournal {
        let storage = try await PostgresStorage(url: databaseURL, configuration: configuration)
        return EventJournal(storage: storage, configuration: configuration)
    }
}
