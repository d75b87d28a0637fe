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
    public func run(on snapshot: JournalSnapshot) throws -> [IntegrityProblem] {
        try snapshot.rows(
            RowQuery(from: "unterminated_runs", columns: ["run_id", "seq", "last_seq"], orderBy: ["seq"])
        ).map { row in
            IntegrityProblem(
                check: name, seq: row["seq"]?.integerValue,
                message: """
                    run \(row["run_id"]?.textValue ?? "?") has no terminal event (last event seq \
                    \(row["last_seq"]?.integerValue ?? 0))
                    """, severity: .warning)
        }
    }
}
