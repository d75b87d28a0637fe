import Journal

/// Fails `verify` for every delivery whose recipient is not the owner of the event it carried.
public struct CrossUserDeliveriesCheck: IntegrityCheck {
    /// `cross_user_deliveries`
    public let name = "cross_user_deliveries"

    /// Creates the check.
    public init() {}

    /// Lists each offending delivery (from the `cross_user_deliveries` view) as a failure.
    public func run(on snapshot: JournalSnapshot) throws -> [IntegrityProblem] {
        try snapshot.rows(
            RowQuery(
                from: "cross_user_deliveries",
                columns: ["recipient_user_id", "connection_id", "seq", "type", "event_user_id"], orderBy: ["seq"],
                limit: 100)
        ).map { row in
            IntegrityProblem(
                check: name, seq: row["seq"]?.integerValue,
                message: """
                    \(row["type"]?.textValue ?? "?") owned by \(row["event_user_id"]?.textValue ?? "nobody") was \
                    delivered to \(row["recipient_user_id"]?.textValue ?? "?") on connection \
                    \(row["connection_id"]?.textValue ?? "?")
                    """)
        }
    }
}
