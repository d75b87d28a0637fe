import Foundation
import Journal
import ChildProcessSupport
import JournalPostgres
import Testing

/// The storage backends the journal's tests run on.
///
/// SQLite always. PostgreSQL when `GOLDENPATH_POSTGRES_URL` names a server (`tools/postgres/start-test-server`
/// starts one; `.ci/run` does): each test journal then lives in a schema of its own. Without it the PostgreSQL cases
/// are left out and ``PostgresAvailabilityTests`` says so — unless `GOLDENPATH_REQUIRE_POSTGRES=1`, which makes a
/// missing server a failure.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgresql

    /// Every backend there is a server for (or that is required).
    static let available: [Backend] = TestPostgres.runsTests ? [.sqlite, .postgresql] : [.sqlite]

    var testDescription: String { rawValue }
}

@Suite("PostgreSQL for the tests")
struct PostgresAvailabilityTests {
    @Test(
        "GOLDENPATH_POSTGRES_URL names the server the PostgreSQL cases run on",
        .enabled(
            if: TestPostgres.runsTests,
            "GOLDENPATH_POSTGRES_URL is not set: the journal's tests run on SQLite only (tools/postgres/start-test-server starts a server)"
        ))
    func serverNamed() async throws {
        let url = try #require(TestPostgres.url, "GOLDENPATH_REQUIRE_POSTGRES=1 but GOLDENPATH_POSTGRES_URL is not set")
        let journal = try await EventJournal.open(databaseURL: url + "?search_path=availability_check&connections=1")
        #expect(try await journal.headSeq() >= 0)
        try journal.close()
    }
}

/// A fresh journal — a file in its own temporary directory, or a schema of its own on the test server — removed
/// when the test ends.
struct TestJournal {
    let backend: Backend
    let directory: URL
    let path: String
    /// The PostgreSQL URL with this journal's schema.
    let url: String?

    init(_ backend: Backend = .sqlite) throws {
        self.backend = backend
        let name = "goldenpath-journal-tests-\(UUID().uuidString)"
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(name, isDirectory: true)
        path = directory.appendingPathComponent("journal.sqlite").path
        switch backend {
        case .sqlite:
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            url = nil
        case .postgresql:
            let server = try #require(TestPostgres.url, "GOLDENPATH_POSTGRES_URL is not set")
            let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            // Three connections (the writer, a snapshot, a read) and the LISTEN one: the suites run many journals at
            // once, and a server takes a few hundred connections.
            url = server + "?search_path=\(schema)&connections=3"
        }
    }

    /// Opens the SQLite file (SQLite only).
    func open(_ configure: (inout JournalConfiguration) -> Void = { _ in }) throws -> EventJournal {
        var configuration = JournalConfiguration()
        configure(&configuration)
        return try EventJournal(path: path, configuration: configuration)
    }

    /// Opens the journal on its backend.
    func openJournal(_ configure: (inout JournalConfiguration) -> Void = { _ in }) async throws -> EventJournal {
        var configuration = JournalConfiguration()
        configure(&configuration)
        switch backend {
        case .sqlite: return try EventJournal(path: path, configuration: configuration)
        case .postgresql: return try await EventJournal.open(databaseURL: try #require(url), configuration: configuration)
        }
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Runs `body` with a fresh journal on `backend`, closing and removing it afterwards.
func withJournal<T>(
    _ backend: Backend = .sqlite, _ configure: (inout JournalConfiguration) -> Void = { _ in },
    _ body: (EventJournal, TestJournal) async throws -> T
) async throws -> T {
    let file = try TestJournal(backend)
    defer { file.remove() }
    let journal = try await file.openJournal(configure)
    do {
        let result = try await body(journal, file)
        try journal.close()
        return result
    } catch {
        try? journal.close()
        throw error
    }
}

/// Runs `body` with a fresh SQLite journal (see ``withJournal(_:_:_:)``).
func withJournal<T>(
    _ configure: (inout JournalConfiguration) -> Void, _ body: (EventJournal, TestJournal) async throws -> T
) async throws -> T {
    try await withJournal(.sqlite, configure, body)
}

extension EventJournal {
    /// The integers a query answers, first column of each row (portable SQL on both backends).
    func integers(_ sql: String) async throws -> [Int64] {
        try await rows(sql: sql).map { $0.first?.integerValue ?? -1 }
    }

    /// The one integer a query answers.
    func integer(_ sql: String) async throws -> Int64? {
        try await integers(sql).first
    }

    /// Runs a statement on the writer's side (tampering, in the backend's dialect).
    func execute(_ sql: String) async throws {
        _ = try await rows(sql: sql, write: true)
    }
}

/// A small event for tests.
func event(
    _ type: String = "test_event", user: String? = "user-1", run: String? = nil, id: String = UUID().uuidString,
    payload: String = #"{"n":1}"#
) -> NewEvent {
    NewEvent(eventID: id, type: type, userID: user, runID: run, payload: payload)
}
