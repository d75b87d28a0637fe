import ArgumentParser

/// `goldenpath`: run, test and inspect an AI-agent chat pipeline whose source of truth is a SQLite journal.
@main
struct GoldenPathCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "goldenpath",
        abstract: "An AI-agent chat pipeline whose single source of truth is an append-only SQLite journal.",
        discussion: """
            Every command that reads or writes a journal takes --db PATH (default ./goldenpath.sqlite, or \
            GOLDENPATH_DB); serve, verify, replay, runs, show and export take --database-url URL (or \
            GOLDENPATH_DATABASE_URL) for a PostgreSQL journal instead. Exit status: 0 success, 1 a check failed, \
            64 bad usage, 2 any other error.
            """,
        subcommands: [
            DemoCommand.self,
            ServeCommand.self,
            ChatCommand.self,
            RunsCommand.self,
            ShowCommand.self,
            ReplayCommand.self,
            VerifyCommand.self,
            ExportCommand.self,
            BackupCommand.self,
            CopyCommand.self,
            BenchCommand.self,
            AppendLoopCommand.self,
        ]
    )
}
