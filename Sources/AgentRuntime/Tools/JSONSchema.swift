/// A tool's parameters as a JSON Schema object (the subset language models are offered: `type`, `properties`,
/// `required`, `items`, `enum`, `description`, `additionalProperties`), and the check of a call's arguments
/// against it.
///
/// ```swift
/// let schema = JSONSchema.object(
///     properties: ["city": .string(description: "The city"), "days": .integer()], required: ["city"])
/// // or, from a Decodable input type:
/// let derived = try JSONSchema(deriving: WeatherInput.self)
/// ```
public struct JSONSchema: Sendable, Hashable, CustomStringConvertible {
    /// The schema as JSON.
    public var value: JSONValue

    /// A schema given explicitly.
    public init(_ value: JSONValue) {
        self.value = value
    }

    /// Any JSON object.
    public static let anyObject = JSONSchema(["type": "object"])

    /// An object with these properties, of which `required` must be present.
    public static func object(
        properties: [String: JSONSchema], required: [String] = [], description: String? = nil,
        additionalProperties: Bool? = nil
    ) -> JSONSchema {
        var members: [String: JSONValue] = [
            "type": "object", "properties": .object(properties.mapValues(\.value)),
            "required": .array(required.sorted().map { .string($0) }),
        ]
        if let description { members["description"] = .string(description) }
        if let additionalProperties { members["additionalProperties"] = .bool(additionalProperties) }
        return JSONSchema(.object(members))
    }

    /// A string, optionally one of `choices`.
    public static func string(description: String? = nil, choices: [String]? = nil) -> JSONSchema {
        var members: [String: JSONValue] = ["type": "string"]
        if let description { members["description"] = .string(description) }
        if let choices { members["enum"] = .array(choices.map { .string($0) }) }
        return JSONSchema(.object(members))
    }

    /// A number.
    public static func number(description: String? = nil) -> JSONSchema { scalar("number", description) }
    /// An integer.
    public static func integer(description: String? = nil) -> JSONSchema { scalar("integer", description) }
    /// A boolean.
    public static func boolean(description: String? = nil) -> JSONSchema { scalar("boolean", description) }

    /// An array of `items`.
    public static func array(of items: JSONSchema, description: String? = nil) -> JSONSchema {
        var members: [String: JSONValue] = ["type": "array", "items": items.value]
        if let description { members["description"] = .string(description) }
        return JSONSchema(.object(members))
    }

    private static func scalar(_ type: String, _ description: String?) -> JSONSchema {
        var members: [String: JSONValue] = ["type": .string(type)]
        if let description { members["description"] = .string(description) }
        return JSONSchema(.object(members))
    }

    /// The schema as JSON text.
    public var description: String { value.jsonText }

    /// What is wrong with `arguments`, one sentence per problem naming its path (`days: expected an integer`);
    /// empty when they conform.
    public func problems(with arguments: JSONValue) -> [String] {
        var problems: [String] = []
        Self.check(arguments, against: value, path: "", into: &problems)
        return problems
    }

    private static func check(_ value: JSONValue, against schema: JSONValue, path: String, into problems: inout [String]) {
        let place = path.isEmpty ? "the arguments" : path
        if let choices = schema["enum"]?.arrayValue, !choices.contains(value) {
            problems.append("\(place): expected one of \(JSONValue.array(choices).jsonText)")
            return
        }
        switch schema["type"]?.stringValue {
        case "object":
            guard case .object(let members) = value else {
                problems.append("\(place): expected an object")
                return
            }
            let properties = schema["properties"]?.objectValue ?? [:]
            for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil {
                problems.append("\(path.isEmpty ? "" : "\(path).")\(name): the required field is missing")
            }
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                let memberPath = path.isEmpty ? name : "\(path).\(name)"
                if let propertySchema = properties[name] {
                    check(member, against: propertySchema, path: memberPath, into: &problems)
                } else if schema["additionalProperties"] == .bool(false) {
                    problems.append("\(memberPath): no such field")
                }
            }
        case "array":
            guard case .array(let elements) = value else {
                problems.append("\(place): expected an array")
                return
            }
            if let items = schema["items"] {
                for (index, element) in elements.enumerated() {
                    check(element, against: items, path: "\(path)[\(index)]", into: &problems)
                }
            }
        case "string":
            if case .string = value { return }
            problems.append("\(place): expected a string")
        case "number":
            if case .number = value { return }
            problems.append("\(place): expected a number")
        case "integer":
            if case .number(let number) = value, number.rounded() == number { return }
            problems.append("\(place): expected an integer")
        case "boolean":
            if case .bool = value { return }
            problems.append("\(place): expected a boolean")
        case "null":
            if case .null = value { return }
            problems.append("\(place): expected null")
        default:
            return  // no type (or one this check does not know): anything goes
        }
    }
}
