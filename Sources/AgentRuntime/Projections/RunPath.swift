/// The `path` of a run (the `runs.path` column, `run_summary.path`): a label for the way a run went, named by
/// one of its tools. A successful tool result with a string member `run_path` names it; so does one with
/// `data_sufficiency`, which the standard pipeline's triage writes (`sufficient`, `partial`, `insufficient`).
/// The latest such result wins.
public enum RunPath {
    /// The result members that name a run's path, in the order they are looked for.
    public static let keys = ["run_path", "data_sufficiency"]

    /// The path a tool's results name, if any.
    public static func named(by results: JSONValue) -> String? {
        keys.lazy.compactMap { results[$0]?.stringValue }.first
    }
}
