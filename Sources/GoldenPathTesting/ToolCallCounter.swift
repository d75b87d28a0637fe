import AgentRuntime
import Synchronization

/// Counts the live calls of a registry's tools — to prove that a step was not done (or was done exactly once),
/// for example that a run resumed after a crash reused its journaled tool outputs.
///
/// ```swift
/// let calls = ToolCallCounter()
/// configuration.tools = calls.counting(configuration.tools)
/// // … run …
/// #expect(calls.counts == ["llm_report_generation": 1])
/// ```
public final class ToolCallCounter: Sendable {
    /// A tool that reports each call to its counter, then does the wrapped tool's work.
    struct CountedTool: Tool {
        let inner: any Tool
        let counter: ToolCallCounter
        var name: String { inner.name }
        var description: String { inner.description }
        var parameters: JSONSchema { inner.parameters }
        var timeLimit: Duration? { inner.timeLimit }
        var secretParameters: Set<String> { inner.secretParameters }

        func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
            counter.record(name)
            return try await inner.execute(parameters, context: context)
        }
    }

    private let calls = Mutex<[String: Int]>([:])

    /// Creates a counter with no calls.
    public init() {}

    /// Live calls by tool name; a tool never called is absent.
    public var counts: [String: Int] { calls.withLock { $0 } }

    /// `tools` with every tool counting its calls here.
    public func counting(_ tools: ToolRegistry) -> ToolRegistry {
        var counted = tools
        for name in tools.names {
            guard let tool = tools[name] else { continue }
            counted = counted.replacing(CountedTool(inner: tool, counter: self))
        }
        return counted
    }

    private func record(_ name: String) {
        calls.withLock { $0[name, default: 0] += 1 }
    }
}
