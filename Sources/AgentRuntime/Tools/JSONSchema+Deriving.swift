extension JSONSchema {
    /// The schema of a `Decodable` type, learned by running its `init(from:)` against a decoder that records
    /// what it asks for: each key with its type, required unless decoded with `decodeIfPresent` (an optional
    /// property), nested types and arrays recursively. Strings, numbers, integers, booleans, arrays, nested
    /// and nested objects are understood.
    ///
    /// A type whose `init(from:)` validates values (a `String`-backed enum, say) cannot be walked this way: give
    /// its tool an explicit schema, or make the enum conform to ``JSONSchemaDescribing``.
    /// - Throws: ``ToolError`` (`invalidParameters`) when the type cannot be walked.
    public init<T: Decodable>(deriving type: T.Type) throws {
        let recorder = SchemaRecorder()
        do {
            _ = try recorder.schema(of: type)
        } catch {
            throw ToolError(
                code: .invalidParameters,
                message: "cannot derive a JSON Schema from \(T.self): \(error); give the tool an explicit schema")
        }
        self.init(try recorder.schema(of: type))
    }
}

/// A `Decodable` type that tells its own JSON Schema (for enums and other types with validating decoders), and
/// a value to stand in for it while a schema is derived.
public protocol JSONSchemaDescribing: Decodable {
    /// The type's schema.
    static var jsonSchema: JSONSchema { get }
    /// Any valid value.
    static var schemaPlaceholder: Self { get }
}

/// Records, key by key, what a type's `init(from:)` decodes.
private final class SchemaRecorder {
    func schema<T: Decodable>(of type: T.Type) throws -> JSONValue {
        if let describing = type as? any JSONSchemaDescribing.Type { return describing.jsonSchema.value }
        if let primitive = Self.primitiveSchema(type) { return primitive }
        let decoder = SchemaDecoder(recorder: self)
        _ = try T(from: decoder)
        return decoder.result()
    }

    func placeholder<T: Decodable>(of type: T.Type) throws -> (T, JSONValue) {
        if let describing = type as? any JSONSchemaDescribing.Type, let value = describing.schemaPlaceholder as? T {
            return (value, describing.jsonSchema.value)
        }
        if let primitive = Self.primitiveSchema(type), let value = Self.primitivePlaceholder(type) {
            return (value, primitive)
        }
        let decoder = SchemaDecoder(recorder: self)
        let value = try T(from: decoder)
        return (value, decoder.result())
    }

    static func primitiveSchema(_ type: Any.Type) -> JSONValue? {
        switch type {
        case is String.Type: ["type": "string"]
        case is Bool.Type: ["type": "boolean"]
        case is Double.Type, is Float.Type: ["type": "number"]
        case is Int.Type, is Int64.Type, is Int32.Type, is Int16.Type, is Int8.Type, is UInt.Type, is UInt64.Type,
            is UInt32.Type, is UInt16.Type, is UInt8.Type:
            ["type": "integer"]
        default: nil
        }
    }

    static func primitivePlaceholder<T>(_ type: T.Type) -> T? {
        switch type {
        case is String.Type: "" as? T
        case is Bool.Type: false as? T
        case is Double.Type: 0.0 as? T
        case is Float.Type: Float(0) as? T
        case is Int.Type: 0 as? T
        case is Int64.Type: Int64(0) as? T
        case is Int32.Type: Int32(0) as? T
        case is Int16.Type: Int16(0) as? T
        case is Int8.Type: Int8(0) as? T
        case is UInt.Type: UInt(0) as? T
        case is UInt64.Type: UInt64(0) as? T
        case is UInt32.Type: UInt32(0) as? T
        case is UInt16.Type: UInt16(0) as? T
        case is UInt8.Type: UInt8(0) as? T
        default: nil
        }
    }
}

/// The decoder handed to a type's `init(from:)`: whichever container it asks for decides the schema's kind.
private final class SchemaDecoder: Decoder {
    enum Kind {
        case undecided
        case object(properties: [String: JSONValue], required: [String])
        case array(items: JSONValue?)
        case single(JSONValue)
    }

    let recorder: SchemaRecorder
    var kind = Kind.undecided
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    init(recorder: SchemaRecorder) {
        self.recorder = recorder
    }

    func result() -> JSONValue {
        switch kind {
        case .undecided: return ["type": "object"]
        case .object(let properties, let required):
            return [
                "type": "object", "properties": .object(properties),
                "required": .array(required.sorted().map { .string($0) }),
            ]
        case .array(let items):
            return items.map { ["type": "array", "items": $0] } ?? ["type": "array"]
        case .single(let schema):
            return schema
        }
    }

    func record(key: String, schema: JSONValue, required: Bool) {
        guard case .object(var properties, var requiredKeys) = kind else {
            kind = .object(properties: [key: schema], required: required ? [key] : [])
            return
        }
        properties[key] = schema
        if required, !requiredKeys.contains(key) { requiredKeys.append(key) }
        kind = .object(properties: properties, required: requiredKeys)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        if case .undecided = kind { kind = .object(properties: [:], required: []) }
        return KeyedDecodingContainer(KeyedRecorder<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        kind = .array(items: nil)
        return UnkeyedRecorder(decoder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleRecorder(decoder: self)
    }
}

private struct KeyedRecorder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: SchemaDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let (value, schema) = try decoder.recorder.placeholder(of: type)
        decoder.record(key: key.stringValue, schema: schema, required: true)
        return value
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try optional(type, key) }
    // The standard library declares one requirement per primitive: each must be answered here, or its default
    // (which decodes as if the key were present) would make the property required.
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try optional(type, key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try optional(type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optional(type, key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try optional(type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optional(type, key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try optional(type, key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try optional(type, key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try optional(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try optional(type, key) }

    /// Records an optional property.
    private func optional<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        let (_, schema) = try decoder.recorder.placeholder(of: type)
        decoder.record(key: key.stringValue, schema: schema, required: false)
        return nil
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        throw DecodingError.dataCorrupted(
            .init(codingPath: codingPath + [key], debugDescription: "nested containers are not supported"))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw DecodingError.dataCorrupted(
            .init(codingPath: codingPath + [key], debugDescription: "nested containers are not supported"))
    }

    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { decoder }
}

private struct UnkeyedRecorder: UnkeyedDecodingContainer {
    let decoder: SchemaDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { nil }
    var currentIndex = 0
    var isAtEnd: Bool { currentIndex > 0 }

    mutating func decodeNil() throws -> Bool { false }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, schema) = try decoder.recorder.placeholder(of: type)
        decoder.kind = .array(items: schema)
        currentIndex += 1
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "nested containers"))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "nested containers"))
    }

    mutating func superDecoder() throws -> any Decoder { decoder }
}

private struct SingleRecorder: SingleValueDecodingContainer {
    let decoder: SchemaDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, schema) = try decoder.recorder.placeholder(of: type)
        decoder.kind = .single(schema)
        return value
    }
}
