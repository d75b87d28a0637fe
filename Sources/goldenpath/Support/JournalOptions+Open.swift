import ArgumentParser
import Foundation
import Gateway
import Journal

extension JournalOptions {
    /// Opens an existing journal with every layer's schema, projections and checks.
    /// - Throws: `ValidationError` when there is no file at the path; `JournalError` when it is not a journal.
    func openExisting() throws -> EventJournal {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("no journal at \(path) (give --db PATH or set GOLDENPATH_DB)")
        }
        return try GoldenPathJournal.open(path: path, durability: durability)
    }
}
