import AgentRuntime
import GRDB
import Hummingbird
import Journal

/// `GET /healthz` (200 `{"status":"ok","head_seq":N}`, 503 with the reason when the journal is not writable) and
/// `GET /metrics` (Prometheus text).
struct HealthRoutes: Sendable {
    let journal: EventJournal
    let metrics: GatewayMetrics
    /// The testing seam the journal's writer consults; the probe consults it too, as a commit would.
    let faultInjector: (any StorageFaultInjector)?

    struct Health: ResponseEncodable {
        var status: String
        var headSeq: Int64

        enum CodingKeys: String, CodingKey {
            case status, headSeq = "head_seq"
        }
    }

    func register<Context: RequestContext>(on router: Router<Context>) {
        router.get("healthz") { _, _ -> Health in
            try await probe()
            do {
                return Health(status: "ok", headSeq: try await journal.headSeq())
            } catch {
                throw GatewayError(code: .journalUnavailable, message: "the journal cannot be read")
            }
        }
        router.get("metrics") { _, _ -> EditedResponse<String> in
            let counts = try await journal.read { db in
                try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM runs GROUP BY status").reduce(
                    into: [String: Int]()
                ) { counts, row in counts[row["status"]] = row["n"] }
            }
            metrics.setRuns(byStatus: counts)
            return EditedResponse(
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], response: metrics.render())
        }
    }

    /// A write transaction on the journal's writer that allocates pages (a table and a page-sized row), then rolls
    /// them back: it fails as an append would when the file is locked by another process (`busy`), full, read-only,
    /// failing I/O or closed, and it leaves nothing behind.
    /// - Throws: `GatewayError` `JOURNAL_UNAVAILABLE` whose message names the reason.
    private func probe() async throws {
        let injector = faultInjector
        do {
            try await journal.write { db in
                try injector?.beforeCommit(batchSize: 0)
                try db.execute(sql: "SAVEPOINT goldenpath_healthz")
                do {
                    try db.execute(sql: "CREATE TABLE goldenpath_healthz_probe (x BLOB)")
                    try db.execute(sql: "INSERT INTO goldenpath_healthz_probe (x) VALUES (zeroblob(65536))")
                } catch {
                    try? db.execute(sql: "ROLLBACK TO SAVEPOINT goldenpath_healthz")
                    try? db.execute(sql: "RELEASE SAVEPOINT goldenpath_healthz")
                    throw error
                }
                try db.execute(sql: "ROLLBACK TO SAVEPOINT goldenpath_healthz")
                try db.execute(sql: "RELEASE SAVEPOINT goldenpath_healthz")
            }
        } catch let error as JournalError {
            throw GatewayError(code: .journalUnavailable, message: "the journal is not writable (\(error.code))")
        } catch {
            throw GatewayError(code: .journalUnavailable, message: "the journal is not writable")
        }
    }
}
