import GRDB
import Journal

/// Warns about every run that has no terminal event (`run_completed`, `run_failed`, `run_cancelled`).
///
/// A warning, not a failure: a live journal always has runs in progress. `verify --strict` fails on it.
public struct UnterminatedRunsCheck: IntegrityCheck {
    /// `unterminated_runs`
    public let name = "unterminated_runs"

    /// Creates the check.
    public init() {}

    /// Lists each run started by a user message that has no terminal event, as one warning per run.
    public func run(in db: Database) throws -> [IntegrityProblem] {
        let terminal = EventType.allCases.filter(\.isTerminal).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return try Row.fetchAll(
            db,
            sql: """
                SELECT s.run_id, s.seq,
                       (SELECT MAX(seq) FROM events AS l WHERE l.run_id = s.run_id) AS last_seq
                FROM events AS s
                WHERE s.type = ?
                  AND NOT EXISTS (SELECT 1 FROM events AS t WHERE t.run_id = s.run_id AND t.type IN (\(terminal)))
                ORDER BY s.seq
                """,
            arguments: [EventType.userMessage.rawValue]
        ).map { row in
            let runID: String = row["run_id"]
            let last: Int64 = row["last_seq"]
            return IntegrityProblem(
                check: name, seq: row["seq"],
                message: "run \(runID) has no terminal event (last event seq \(last))", severity: .warning)
        }
    }
}
