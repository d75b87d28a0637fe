import GRDB
import Journal

/// Fails `verify` for every delivery whose recipient is not the owner of the event it carried.
public struct CrossUserDeliveriesCheck: IntegrityCheck {
    /// `cross_user_deliveries`
    public let name = "cross_user_deliveries"

    /// Creates the check.
    public init() {}

    /// Lists each offending delivery (from the `cross_user_deliveries` view) as a failure.
    public func run(in db: Database) throws -> [IntegrityProblem] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT recipient_user_id, connection_id, seq, type, event_user_id
                FROM cross_user_deliveries ORDER BY seq LIMIT 100
                """
        ).map { row in
            let recipient: String = row["recipient_user_id"]
            let connection: String = row["connection_id"]
            let type: String = row["type"]
            let owner: String? = row["event_user_id"]
            return IntegrityProblem(
                check: name, seq: row["seq"],
                message: """
                    \(type) owned by \(owner ?? "nobody") was delivered to \(recipient) on connection \(connection)
                    """)
        }
    }
}
