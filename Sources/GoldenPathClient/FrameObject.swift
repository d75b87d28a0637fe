/// The JSON object of one frame, and the text it was read from.
///
/// Two frame objects are equal when their fields are: the text is how the frame arrived (or was written), not
/// what it says.
public struct FrameObject: Sendable, Hashable, CustomStringConvertible {
    /// The frame's members, `type` included.
    public let fields: [String: JSONValue]
    /// The frame as received; for a frame built in code, its ``jsonText``.
    public let text: String

    /// A frame object with these fields, written as compact JSON with sorted keys.
    public init(fields: [String: JSONValue]) {
        self.fields = fields
        self.text = JSONValue.object(fields).jsonText
    }

    /// A frame object read from `text`: `fields` are what it says (empty for text that is not a JSON object), and
    /// `text` is kept as received.
    public init(fields: [String: JSONValue], text: String) {
        self.fields = fields
        self.text = text
    }

    /// The member named `key`.
    public subscript(key: String) -> JSONValue? { fields[key] }

    /// The fields as compact JSON with sorted keys, as the server writes frames.
    public var jsonText: String { JSONValue.object(fields).jsonText }

    /// The frame's text.
    public var description: String { text }

    /// A string member.
    func string(_ key: String) -> String? { fields[key]?.stringValue }

    /// A whole-number member.
    func int64(_ key: String) -> Int64? { fields[key]?.intValue.map(Int64.init) }

    /// True when the fields are equal.
    public static func == (lhs: FrameObject, rhs: FrameObject) -> Bool { lhs.fields == rhs.fields }

    /// Hashes the fields.
    public func hash(into hasher: inout Hasher) { hasher.combine(fields) }
}
