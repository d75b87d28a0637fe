import AgentRuntime
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
            try await probe()
            do {
                return Health(status: "ok", headSeq: try await journal.headSeq())
            } catch {
                throw GatewayError(code: .journalUnavailable, message: "the journal cannot be read")
            }
        }
        router.get("metrics") { _, _ -> EditedResponse<String> in
            let counts = try await journal.rows(
                RowQuery(from: "run_status_counts", columns: ["status", "runs"])
            ).reduce(into: [String: Int]()) { counts, row in
                counts[row["status"]?.textValue ?? "?"] = Int(row["runs"]?.integerValue ?? 0)
            }
            metrics.setRuns(byStatus: counts)
            return EditedResponse(
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], response: metrics.render())
        }
    }

    /// Whether an append would be written now (``EventJournal/checkWritable()``).
    /// - Throws: `GatewayError` `JOURNAL_UNAVAILABLE` whose message names the reason.
    private func probe() async throws {
        do {
            try await journal.checkWritable()
        } catch let error as JournalError {
            throw GatewayError(code: .journalUnavailable, message: "the journal is not writable (\(error.code))")
        } catch {
            throw GatewayError(code: .journalUnavailable, message: "the journal is not writable")
        }
    }
}
