/// What `JournalBenchmark` runs: the workload's size and where its databases go.
public struct JournalBenchmarkConfiguration: Sendable {
    /// The number of users (and of concurrent appenders in `append_concurrent`). Default 100.
    public var users = 100
    /// The number of runs per user. Default 20.
    public var runsPerUser = 20
    /// The directory for the databases; nil (the default) makes a fresh temporary directory, removed at the end.
    public var directory: String?
    /// Keep the databases after the run (the default removes a temporary directory).
    public var keepDatabases = false
    /// A PostgreSQL database to run the journal's phases on as well (`goldenpath-postgres` lines), each phase in a
    /// schema of its own; nil: SQLite only.
    public var databaseURL: String?

    /// Creates a configuration with the defaults, or the given sizes.
    public init(users: Int = 100, runsPerUser: Int = 20) {
        self.users = users
        self.runsPerUser = runsPerUser
    }
}
