/// How a tool call ended: the `status` of `tool_completed`.
public enum ToolStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// The tool returned results.
    case success
    /// The tool failed.
    case error
    /// The tool exceeded its time limit.
    case timeout
}
