import ArgumentParser
import Foundation
import Gateway
import Journal

/// The `--db` option shared by every command that opens a journal.
struct JournalOptions: ParsableArguments {
    @Option(name: .long, help: "The journal file (default: $GOLDENPATH_DB, else ./goldenpath.sqlite).")
    var db: String?

    @Option(name: .long, help: "full (survives power loss) or normal (survives a process crash).")
    var durability: JournalConfiguration.Durability = .full

    /// The journal path: the flag, else `GOLDENPATH_DB`, else `./goldenpath.sqlite`.
    var path: String {
        db ?? ProcessInfo.processInfo.environment["GOLDENPATH_DB"] ?? "./goldenpath.sqlite"
    }
}

extension JournalConfiguration.Durability: ExpressibleByArgument {}
