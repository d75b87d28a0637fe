import ArgumentParser
import Foundation
import Gateway
import Journal
import JournalPostgres

extension JournalOptions {
    /// Opens an existing journal with every layer's schema, projections and checks: the SQLite file, or the
    /// PostgreSQL database (whose tables are created if it has none yet).
    /// - Throws: `ValidationError` when there is no file at the path; `JournalError` when it is not a journal or the
    ///   database cannot be reached.
    func openExisting(readOnly: Bool = false) async throws -> EventJournal {
        var configuration = GoldenPathJournal.configuration(durability: durability)
        configuration.readOnly = readOnly
        switch try location {
        case .file(let path):
            guard FileManager.default.fileExists(atPath: path) else {
                throw ValidationError("no journal at \(path) (give --db PATH or set GOLDENPATH_DB)")
            }
            return try EventJournal(path: path, configuration: configuration)
        case .database(let url):
            return try await EventJournal.open(databaseURL: url, configuration: configuration)
        }
    }
}
