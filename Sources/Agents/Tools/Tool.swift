/// A tool an agent calls: small, deterministic work whose input and output are journaled.
///
/// The seam where tests inject failing or slow tools (``ToolRegistry/replacing(_:)``).
public protocol Tool: Sendable {
    /// The name shown in `tool_executing` / `tool_completed` (`classify_request`, …).
    var name: String { get }
    /// Does the work.
    /// - Throws: ``ToolError`` (or any error) when the tool cannot produce a result; `CancellationError` when
    ///   cancelled. The agent reports the failure; the run goes on degraded.
    func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue
}
