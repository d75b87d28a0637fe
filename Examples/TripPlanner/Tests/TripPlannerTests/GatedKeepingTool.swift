import AgentRuntime
import GoldenPathTesting

/// A tool held at a gate until the test opens it, keeping the wrapped tool's definition.
struct GatedKeepingTool: Tool {
    let inner: any Tool
    let gate: Gate
    var name: String { inner.name }
    var description: String { inner.description }
    var parameters: JSONSchema { inner.parameters }
    var timeLimit: Duration? { inner.timeLimit }
    var secretParameters: Set<String> { inner.secretParameters }

    func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        try await gate.wait()
        return try await inner.execute(parameters, context: context)
    }
}
