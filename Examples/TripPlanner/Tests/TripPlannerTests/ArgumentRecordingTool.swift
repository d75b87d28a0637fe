import AgentRuntime
import Synchronization

/// A stand-in for `book_flight` that remembers the arguments it was really called with (the secret included),
/// then books as the real tool does — to prove the secret reached the tool while the journal never saw it.
final class ArgumentRecordingTool: Tool {
    let name: String
    private let inner: any Tool
    private let calls = Mutex<[JSONValue]>([])

    init(wrapping tool: any Tool) {
        inner = tool
        name = tool.name
    }

    var description: String { inner.description }
    var parameters: JSONSchema { inner.parameters }
    var timeLimit: Duration? { inner.timeLimit }
    var secretParameters: Set<String> { inner.secretParameters }

    /// The arguments of every call so far.
    var arguments: [JSONValue] { calls.withLock { $0 } }

    func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        calls.withLock { $0.append(parameters) }
        return try await inner.execute(parameters, context: context)
    }
}
