import AgentRuntime

/// A tool that holds every call at its ``Gate`` until the test opens it (or the call is cancelled), then does the
/// wrapped tool's work — for observing a run while it is inside a tool, without sleeping.
public struct GatedTool: Tool {
    /// The gate every call waits at.
    public let gate: Gate
    private let inner: any Tool

    /// A gated stand-in for `tool`, waiting at `gate` (a new closed gate by default).
    public init(wrapping tool: any Tool, gate: Gate = Gate()) {
        self.inner = tool
        self.gate = gate
    }

    /// The wrapped tool's name.
    public var name: String { inner.name }
    /// The wrapped tool's description.
    public var description: String { inner.description }
    /// The wrapped tool's parameters.
    public var parameters: JSONSchema { inner.parameters }
    /// The wrapped tool's time limit.
    public var timeLimit: Duration? { inner.timeLimit }
    /// The wrapped tool's secret parameters.
    public var secretParameters: Set<String> { inner.secretParameters }

    /// Waits for the gate, then runs the wrapped tool.
    /// - Throws: `CancellationError` while waiting; the wrapped tool's errors.
    public func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        try await gate.wait()
        return try await inner.execute(parameters, context: context)
    }
}
