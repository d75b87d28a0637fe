import ArgumentParser

/// `goldenpath demo`: the one-command tour — a server, N users, live agent runs over real WebSockets, a summary,
/// the cross-user leak check, and the commands to look further.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start the server in-process, let N users chat over real WebSockets, check isolation.",
        discussion: """
            Exit 0 only if every run completed and no leak was found. Run it again on the same journal: the demo \
            users log in and add new runs.
            """)

    @OptionGroup var journal: JournalOptions

    @Option(help: "How many demo users (1–50).")
    var users = 3

    func validate() throws {
        guard (1...50).contains(users) else { throw ValidationError("--users must be between 1 and 50") }
        _ = try journal.filePath(for: "demo", alternative: "serve --database-url runs the pipeline on PostgreSQL")
    }

    func run() async throws {
        var succeeded = false
        try await reportingFailures {
            succeeded = try await DemoTour(
                users: users, journalPath: try journal.filePath(for: "demo"), durability: journal.durability).run()
        }
        if !succeeded { throw ExitCode.failure }
    }
}
