import ArgumentParser
import Foundation
import Gateway
import Journal
import JournalPostgres

/// `goldenpath copy --db FILE --database-url URL`: moves an SQLite journal into an empty PostgreSQL one, keeping
/// every `seq`, hash and delivery, then verifies the copy (SPEC section 7) — how a team that started embedded
/// grows past one machine.
struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy an SQLite journal into an empty PostgreSQL one, keeping every seq, hash and delivery.",
        discussion: """
            The events, the deliveries and the accounts are copied as they are (the hash chain verifies byte for \
            byte); the projections are rebuilt from the events; then the copy is verified (exit 1 when it does \
            not pass). Stop the server on the file first: events appended during the copy are not copied. The \
            database must hold no journal yet (a new database, or a new ?search_path=SCHEMA).
            """)

    @Option(name: .long, help: "The SQLite journal to copy.")
    var db: String

    @Option(name: .customLong("database-url"), help: ArgumentHelp("The empty PostgreSQL journal.", valueName: "url"))
    var databaseURL: String

    @Flag(help: "One JSON object per line.")
    var json = false

    func run() async throws {
        var passed = false
        try await reportingFailures {
            guard FileManager.default.fileExists(atPath: db) else { throw ValidationError("no journal at \(db)") }
            var sourceConfiguration = GoldenPathJournal.configuration()
            sourceConfiguration.readOnly = true
            let source = try EventJournal(path: db, configuration: sourceConfiguration)
            defer { try? source.close() }
            let target = try await EventJournal.open(
                databaseURL: databaseURL, configuration: GoldenPathJournal.configuration())
            defer { try? target.close() }
            let copied = try await JournalCopy(source: source, target: target).run()
            let report = try await target.verify()
            passed = report.passes(strict: false)
            if json {
                printJSON([
                    "ok": passed, "events": copied.events, "deliveries": copied.deliveries, "users": copied.users,
                    "head_seq": Int(report.headSeq), "failures": report.failures.count,
                ])
            } else {
                print("copied   \(copied.events) events, \(copied.deliveries) deliveries, \(copied.users) accounts")
                print("from     \(db)")
                print("to       \(target.path)")
                for problem in report.failures { print("FAIL     \(problem)") }
                print(passed ? "copy: ok (verify passes on the copy)" : "copy: the copy does not verify")
            }
        }
        if !passed { throw ExitCode.failure }
    }
}

/// Copies the tables that are not derived from events — the log, the deliveries, the accounts — row for row,
/// then rebuilds the projections and sets the head of the log. Runs through the journal's SQL escape hatch
/// (`rows(sql:arguments:write:)`), each backend in its own dialect with `?` placeholders.
struct JournalCopy {
    let source: EventJournal
    let target: EventJournal
    /// Rows per `INSERT` statement.
    var batchSize = 200

    /// How many rows of each kind were copied.
    struct Counts {
        var events = 0
        var deliveries = 0
        var users = 0
    }

    /// A table copied as it is, in the order of its key.
    private struct Table {
        var name: String
        var columns: [String]
        var order: String
    }

    private static let events = Table(
        name: "events",
        columns: [
            "seq", "event_id", "stream", "stream_version", "type", "schema_version", "user_id", "thread_id", "run_id",
            "connection_id", "causation_seq", "correlation_id", "payload", "recorded_at", "prev_hash", "hash",
        ], order: "seq")
    private static let deliveries = Table(
        name: "deliveries",
        columns: ["id", "seq", "connection_id", "recipient_user_id", "frame_type", "sent_at"], order: "id")
    private static let users = Table(
        name: "users", columns: ["user_id", "username", "password_hash", "created_at"], order: "user_id")

    /// - Throws: `ValidationError` when the target already holds a journal; `JournalError` from either side.
    func run() async throws -> Counts {
        for table in ["events", "deliveries", "users"] {
            let rows = try await target.rows(sql: "SELECT COUNT(*) FROM \(table)")
            guard rows.first?.first?.integerValue == 0 else {
                throw ValidationError("the database already holds a journal (\(table) is not empty): copy needs an empty one")
            }
        }
        var counts = Counts()
        counts.events = try await copy(Self.events)
        counts.deliveries = try await copy(Self.deliveries)
        counts.users = try await copy(Self.users)
        let head = try await source.rows(sql: "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")
        if let last = head.first, last.count == 2 {
            _ = try await target.rows(
                sql: "UPDATE journal_head SET seq = ?, hash = ? WHERE id = 1", arguments: last, write: true)
        }
        if counts.deliveries > 0 {
            // The next delivery recorded on PostgreSQL goes after the copied ones.
            _ = try await target.rows(
                sql: "SELECT setval(pg_get_serial_sequence('deliveries', 'id'), (SELECT MAX(id) FROM deliveries))",
                write: true)
        }
        try await target.rebuildProjections()
        return counts
    }

    /// Copies `table` in key order, `batchSize` rows per statement; answers the number of rows.
    private func copy(_ table: Table) async throws -> Int {
        let columns = table.columns.joined(separator: ", ")
        var copied = 0
        while true {
            let rows = try await source.rows(
                sql: "SELECT \(columns) FROM \(table.name) ORDER BY \(table.order) LIMIT ? OFFSET ?",
                arguments: [.integer(Int64(batchSize)), .integer(Int64(copied))])
            guard !rows.isEmpty else { return copied }
            let tuple = "(" + Array(repeating: "?", count: table.columns.count).joined(separator: ", ") + ")"
            let values = Array(repeating: tuple, count: rows.count).joined(separator: ", ")
            _ = try await target.rows(
                sql: "INSERT INTO \(table.name) (\(columns)) VALUES \(values)", arguments: rows.flatMap { $0 },
                write: true)
            copied += rows.count
            if rows.count < batchSize { return copied }
        }
    }
}
