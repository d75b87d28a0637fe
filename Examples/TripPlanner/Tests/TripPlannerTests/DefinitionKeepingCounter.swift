import AgentRuntime
import Synchronization

/// Counts live calls per tool name while keeping each tool's definition (description, schema, limits, secrets).
final class DefinitionKeepingCounter: Sendable {
    private struct Counted: Tool {
        let inner: any Tool
        let counter: DefinitionKeepingCounter
        var name: String { inner.name }
        var description: String { inner.description }
        var parameters: JSONSchema { inner.parameters }
        var timeLimit: Duration? { inner.timeLimit }
        var secretParameters: Set<String> { inner.secretParameters }

        func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
            counter.calls.withLock { $0[name, default: 0] += 1 }
            return try await inner.execute(parameters, context: context)
        }
    }

    fileprivate let calls = Mutex<[String: Int]>([:])

    /// Live calls by tool name.
    var counts: [String: Int] { calls.withLock { $0 } }

    /// `tools`, each counting its calls here.
    func counting(_ tools: [any Tool]) -> ToolRegistry {
        ToolRegistry(tools.map { Counted(inner: $0, counter: self) })
    }
}
