/// Tools by name: a pipeline's tools, or the replacements a test injects (``AgentsConfiguration/tools``).
public struct ToolRegistry: Sendable {
    private var tools: [String: any Tool]

    /// Creates a registry of the given tools (a later tool of the same name wins).
    public init(_ tools: [any Tool]) {
        self.tools = Dictionary(tools.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The tool of that name, if registered.
    public subscript(name: String) -> (any Tool)? { tools[name] }

    /// The registered tool names, sorted.
    public var names: [String] { tools.keys.sorted() }

    /// True when no tool is registered.
    public var isEmpty: Bool { tools.isEmpty }

    /// A copy where `tool` replaces the tool of the same name (or is added).
    public func replacing(_ tool: any Tool) -> ToolRegistry {
        var copy = self
        copy.tools[tool.name] = tool
        return copy
    }

    /// A copy where every tool of `overrides` replaces the tool of the same name (or is added).
    public func overlaid(by overrides: ToolRegistry) -> ToolRegistry {
        var copy = self
        copy.tools.merge(overrides.tools) { _, override in override }
        return copy
    }
}
