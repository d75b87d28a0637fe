import Journal

/// Fails `verify` for every event inside a run whose owner differs from the owner of the run's user message.
public struct CrossUserEventsCheck: IntegrityCheck {
    /// `cross_user_events`
    public let name = "cross_user_events"

    /// Creates the check.
    public init() {}

    /// Lists each offending event (from the `cross_user_events` view) as a failure.
    public func run(on snapshot: JournalSnapshot) throws -> [IntegrityProblem] {
        try snapshot.rows(
            RowQuery(
                from: "cross_user_events", columns: ["run_id", "seq", "type", "user_id", "run_owner"],
                orderBy: ["seq"], limit: 100)
        ).map { row in
            let owner = row["user_id"]?.textValue
            let runOwner = row["run_owner"]?.textValue
            return IntegrityProblem(
                check: name, seq: row["seq"]?.integerValue,
                message: """
                    \(row["type"]?.textValue ?? "?") in run \(row["run_id"]?.textValue ?? "?") is owned by \
                    \(owner ?? "nobody"), the run by \(runOwner ?? "nobody")
                    """)
        }
    }
}
