import Foundation

extension JSONValue {
    /// Parses JSON text (any value at the top, not only objects and arrays).
    ///
    /// Prefer this to `JSONDecoder().decode(JSONValue.self, from:)` for whole documents: `Decodable` can only find
    /// out a value's kind by trying each kind in turn, and each failed try throws and allocates an error — several
    /// per object in a payload, on every frame and event. This parses once with `JSONSerialization` and never
    /// throws on valid JSON.
    /// - Throws: the parser's error when `data` is not valid JSON (or nests deeper than the parser allows).
    public init(parsing data: Data) throws {
        self.init(foundationObject: try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]))
    }

    /// Parses JSON text. See ``init(parsing:)-(Data)``.
    public init(parsing text: String) throws {
        try self.init(parsing: Data(text.utf8))
    }

    /// Converts what `JSONSerialization` returns.
    private init(foundationObject object: Any) {
        switch object {
        case let string as String:
            self = .string(string)
        case let number as NSNumber:
            // JSON `true`/`false` come back as a boolean NSNumber, which also converts to 1 and 0: tell them apart
            // by class, not by value.
            if type(of: number) == Self.booleanNumberClass {
                self = .bool(number.boolValue)
            } else {
                self = .number(number.doubleValue)
            }
        case let array as [Any]:
            self = .array(array.map(JSONValue.init(foundationObject:)))
        case let object as [String: Any]:
            self = .object(object.mapValues(JSONValue.init(foundationObject:)))
        default:
            self = .null
        }
    }

    /// The class of the NSNumber `JSONSerialization` uses for booleans.
    private static let booleanNumberClass: NSNumber.Type = type(of: NSNumber(value: true))
}
