/// The name of an agent, as it appears in `agent_name`: an open identifier a pipeline chooses
/// (`"triage"`, `"researcher"`, …), not a closed list.
///
/// ```swift
/// extension AgentName {
///     static let researcher: AgentName = "researcher"
/// }
/// ```
public struct AgentName: RawRepresentable, Sendable, Hashable, Codable, Comparable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    /// The name as journaled.
    public let rawValue: String

    /// Creates a name.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Creates a name from a literal.
    public init(stringLiteral value: String) {
        self.rawValue = value
    }

    /// Decodes the name from a JSON string.
    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the name as a JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The name.
    public var description: String { rawValue }

    /// Orders names by their text.
    public static func < (lhs: AgentName, rhs: AgentName) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `supervisor`: the agent that runs a pipeline's plan and gives the answer (every run has one).
    public static let supervisor: AgentName = "supervisor"
}
