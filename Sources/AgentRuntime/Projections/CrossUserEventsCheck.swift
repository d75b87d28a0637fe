import GRDB
import Journal

/// Fails `verify` for every event inside a run whose owner differs from the owner of the run's user message.
public struct CrossUserEventsCheck: IntegrityCheck {
    /// `cross_user_events`
    public let name = "cross_user_events"

    /// Creates the check.
    public init() {}

    /// Lists each offending event (from the `cross_user_events` view) as a failure.
    public func run(in db: Database) throws -> [IntegrityProblem] {
        try Row.fetchAll(
            db, sql: "SELECT run_id, seq, type, user_id, run_owner FROM cross_user_events ORDER BY seq LIMIT 100"
        ).map { row in
            let owner: String? = row["user_id"]
            let runOwner: String? = row["run_owner"]
            let runID: String = row["run_id"]
            let type: String = row["type"]
            return IntegrityProblem(
                check: name, seq: row["seq"],
                message: """
                    \(type) in run \(runID) is owned by \(owner ?? "nobody"), the run by \(runOwner ?? "nobody")
                    """)
        }
    }
}
