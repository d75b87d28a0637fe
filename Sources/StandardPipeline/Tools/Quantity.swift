import AgentRuntime
/// A number with a unit or a currency found in a message (`$1,200`, `300 ms`, `40%`, `12 servers`).
public struct Quantity: Sendable, Hashable {
    /// The number.
    public var value: Double
    /// The unit (lowercased), or the currency code (`USD`, `EUR`, `GBP`).
    public var unit: String
    /// True for money.
    public var isCurrency: Bool
    /// The text it was read from.
    public var text: String

    /// The quantity as a JSON object.
    public var json: JSONValue {
        [
            "value": .number(value), "unit": .string(unit), "kind": .string(isCurrency ? "currency" : "measure"),
            "text": .string(text),
        ]
    }
}
