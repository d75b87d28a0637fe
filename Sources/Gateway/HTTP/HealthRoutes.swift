import Agents
import GRDB
import Hummingbird
import Journal

/// `GET /healthz` (200 `{"status":"ok","head_seq":N}`, 503 with the reason when the journal is not writable) and
/// `GET /metrics` (Prometheus text).
struct HealthRoutes: Sendable {
    let journal: EventJournal
    let metrics: GatewayMetrics

    struct Health: ResponseEncodable {
        var status: String
        var headSeq: Int64

        enum CodingKeys: String, CodingKey {
            case status, headSeq = "head_seq"
        }
    }

    func register<Context: RequestContext>(on router: Router<Context>) {
        router.get("healthz") { _, _ -> Health in
            do {
                // A write transaction that changes nothing: fails when the file or the writer is unavailable.
                try await journal.write { db in
                    try db.execute(sql: "UPDATE users SET username = username WHERE 0")
                }
                return Health(status: "ok", headSeq: try await journal.headSeq())
            } catch let error as JournalError {
                throw GatewayError(code: .journalUnavailable, message: "the journal is not writable (\(error.code))")
            } catch {
                throw GatewayError(code: .journalUnavailable, message: "the journal is not writable")
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
}
