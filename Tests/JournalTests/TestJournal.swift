import Foundation
import GRDB
import Journal

/// A fresh journal file in its own temporary directory, removed when the test ends.
struct TestJournal {
    let directory: URL
    let path: String

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("goldenpath-journal-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("journal.sqlite").path
    }

    func open(_ configure: (inout JournalConfiguration) -> Void = { _ in }) throws -> EventJournal {
        var configuration = JournalConfiguration()
        configure(&configuration)
        return try EventJournal(path: path, configuration: configuration)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Runs `body` with a fresh journal, closing and removing it afterwards.
func withJournal<T>(
    _ configure: (inout JournalConfiguration) -> Void = { _ in },
    _ body: (EventJournal, TestJournal) async throws -> T
) async throws -> T {
    let file = try TestJournal()
    defer { file.remove() }
    let journal = try file.open(configure)
    do {
        let result = try await body(journal, file)
        try journal.close()
        return result
    } catch {
        try? journal.close()
        throw error
    }
}

/// A small event for tests.
func event(
    _ type: String = "test_event", user: String? = "user-1", run: String? = nil, id: String = UUID().uuidString,
    payload: String = #"{"n":1}"#
) -> NewEvent {
    NewEvent(eventID: id, type: type, userID: user, runID: run, payload: payload)
}
