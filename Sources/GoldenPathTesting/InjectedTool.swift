import AgentRuntime

/// A tool that stands in for a standard one to inject a fault: it fails, hangs until cancelled, or answers late.
public struct InjectedTool: Tool {
    /// What the tool does.
    public enum Mode: Sendable {
        /// Throw `TOOL_FAILED` with this message.
        case fail(String)
        /// Never finish until cancelled (the tool or agent time limit ends it).
        case hang
        /// Answer these results after this delay.
        case slow(Duration, JSONValue)
    }

    /// The name of the tool it replaces.
    public let name: String
    /// What it does.
    public let mode: Mode

    /// Creates a stand-in for the tool `name`.
    public init(name: String, mode: Mode) {
        self.name = name
        self.mode = mode
    }

    /// Applies the mode.
    /// - Throws: ``ToolError`` (`TOOL_FAILED`) for `.fail`, `CancellationError` when cancelled.
    public func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        switch mode {
        case .fail(let message):
            throw ToolError(code: .failed, message: message)
        case .hang:
            try await Task.sleep(for: .seconds(86_400))  // stands for a tool that never answers; cancelled by its limit
            return .null
        case .slow(let delay, let results):
            try await Task.sleep(for: delay)  // the injected latency itself
            return results
        }
    }
}
