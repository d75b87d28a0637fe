import ArgumentParser
import Foundation
import Gateway
import Journal

/// The options shared by every command that opens a journal: an SQLite file (`--db`) or a PostgreSQL database
/// (`--database-url`), exclusive (SPEC sections 2 and 7), and the durability.
struct JournalOptions: ParsableArguments {
    @Option(name: .long, help: "The journal file (default: $GOLDENPATH_DB, else ./goldenpath.sqlite).")
    var db: String?

    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            "A PostgreSQL journal instead of a file: postgres://USER[:PASSWORD]@HOST[:PORT]/DB (default: "
                + "$GOLDENPATH_DATABASE_URL).", valueName: "url"))
    var databaseURL: String?

    @Option(name: .long, help: "full (survives power loss) or normal (survives a process crash).")
    var durability: JournalConfiguration.Durability = .full

    /// Where a journal lives. An open journal names it for people (`EventJournal.path`: a database URL
    /// without its password).
    enum Location: Equatable {
        /// An SQLite file.
        case file(String)
        /// A PostgreSQL database, by its URL.
        case database(url: String)
    }

    /// Reads the environment into the exclusivity rules (a flag wins over the environment; both flags, or both
    /// variables with no flag, are bad usage).
    func validate() throws {
        _ = try location
    }

    /// Where the journal is: `--db`, `--database-url`, else `GOLDENPATH_DB` or `GOLDENPATH_DATABASE_URL`, else
    /// `./goldenpath.sqlite`.
    /// - Throws: `ValidationError` (exit 64) when both flags are given, or both variables and no flag.
    var location: Location {
        get throws {
            let environment = ProcessInfo.processInfo.environment
            switch (db, databaseURL) {
            case (.some, .some):
                throw ValidationError("--db and --database-url cannot be combined: give one journal")
            case (.some(let path), nil):
                return .file(path)
            case (nil, .some(let url)):
                return .database(url: url)
            case (nil, nil):
                let path = environment["GOLDENPATH_DB"].flatMap { $0.isEmpty ? nil : $0 }
                let url = environment["GOLDENPATH_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
                switch (path, url) {
                case (.some, .some):
                    throw ValidationError(
                        "GOLDENPATH_DB and GOLDENPATH_DATABASE_URL are both set: give --db or --database-url")
                case (.some(let path), nil): return .file(path)
                case (nil, .some(let url)): return .database(url: url)
                case (nil, nil): return .file("./goldenpath.sqlite")
                }
            }
        }
    }

    /// The SQLite file, for the commands that work on files only.
    /// - Throws: `ValidationError` naming `command` when the journal is a PostgreSQL database (`alternative`
    ///   says what to use there).
    func filePath(for command: String, alternative: String? = nil) throws -> String {
        switch try location {
        case .file(let path):
            return path
        case .database:
            throw ValidationError(
                "\(command) works on an SQLite journal (--db) only" + (alternative.map { "; \($0)" } ?? ""))
        }
    }
}

extension JournalConfiguration.Durability: ExpressibleByArgument {}
