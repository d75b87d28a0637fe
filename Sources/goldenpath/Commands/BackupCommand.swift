import ArgumentParser
import Foundation
import Journal

/// `goldenpath backup DEST`: a consistent copy of the journal while the server keeps running.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Copy the journal consistently (SQLite online backup) while it is in use.")

    @OptionGroup var journal: JournalOptions
    @Argument(help: "The file to write; must not exist.") var destination: String

    func validate() throws {
        _ = try journal.filePath(for: "backup", alternative: "back a PostgreSQL journal up with pg_dump")
        if FileManager.default.fileExists(atPath: destination) {
            throw ValidationError("\(destination) already exists")
        }
    }

    func run() async throws {
        try await reportingFailures {
            let opened = try await journal.openExisting()
            defer { try? opened.close() }
            try await opened.backup(to: destination)
            let head = try await opened.headSeq()
            print("backed up \(opened.path) to \(destination) (head seq \(head) or later)")
        }
    }
}
