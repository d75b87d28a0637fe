/// A tool an agent calls: its input and output are JSON, both journaled (`tool_executing`, `tool_completed`).
///
/// A tool describes itself to a language model with a name, a description and its parameters as a JSON Schema
/// (``parameters``); the runtime checks a call's arguments against that schema before the tool runs, so a model's
/// bad arguments become a `tool_completed {status: error}` whose message the model sees, never a crash. Give a
/// ``timeLimit`` for a tool that needs another limit than ``AgentsConfiguration/toolTimeout``, and name the
/// parameters whose values must never be journaled in ``secretParameters``.
///
/// For a tool with a `Codable` input, ``FunctionTool`` derives the schema from the type.
public protocol Tool: Sendable {
    /// The name shown in `tool_executing` / `tool_completed` and offered to a model (`classify_request`, …).
    var name: String { get }
    /// What the tool does, for a model choosing among tools. Has a default (empty).
    var description: String { get }
    /// The parameters as a JSON Schema object. Has a default: any object.
    var parameters: JSONSchema { get }
    /// The tool's own time limit; nil (the default) for ``AgentsConfiguration/toolTimeout``.
    var timeLimit: Duration? { get }
    /// Parameter names whose values are replaced by `"[REDACTED]"` wherever the call is journaled, besides the
    /// names that look secret (`password`, `token`, `api_key`, …). Has a default (none).
    var secretParameters: Set<String> { get }
    /// Does the work.
    /// - Throws: ``ToolError`` (or any error) when the tool cannot produce a result; `CancellationError` when
    ///   cancelled. The call is journaled `tool_completed {status: error}`.
    func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue
}

extension Tool {
    /// No description.
    public var description: String { "" }
    /// Any JSON object.
    public var parameters: JSONSchema { .anyObject }
    /// ``AgentsConfiguration/toolTimeout``.
    public var timeLimit: Duration? { nil }
    /// None besides the names that look secret.
    public var secretParameters: Set<String> { [] }

    /// The tool as a language model is offered it.
    public var definition: LLMToolDefinition {
        LLMToolDefinition(name: name, description: description, parameters: parameters.value)
    }
}
