/// The names of the streams the Agents layer appends to.
public enum EventStreams {
    /// Every event of one run: `run:<run_id>`.
    public static func run(_ runID: String) -> String { "run:\(runID)" }
    /// The events of one WebSocket connection: `connection:<connection_id>`.
    public static func connection(_ connectionID: String) -> String { "connection:\(connectionID)" }
    /// The events of one user account: `user:<user_id>`.
    public static func user(_ userID: String) -> String { "user:\(userID)" }
}
