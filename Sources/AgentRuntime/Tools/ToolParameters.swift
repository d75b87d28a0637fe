extension JSONValue {
    /// The string member `key` of a parameters object.
    /// - Throws: ``ToolError`` (`invalidParameters`) when it is absent or not a string.
    public func requiredString(_ key: String, tool: String) throws -> String {
        guard let value = self[key]?.stringValue else {
            throw ToolError(code: .invalidParameters, message: "\(tool) needs the string parameter \(key)")
        }
        return value
    }

    /// The member names that are always treated as secret, matched case-insensitively as parts of a name.
    public static let secretNameParts = [
        "password", "secret", "token", "api_key", "apikey", "authorization", "credential",
    ]

    /// The same value with the members whose names look secret (`password`, `token`, `api_key`, …) or are in
    /// `names` replaced by `"[REDACTED]"`, at any depth.
    public func redactingSecrets(named names: Set<String> = []) -> JSONValue {
        switch self {
        case .object(let members):
            var redacted: [String: JSONValue] = [:]
            for (key, value) in members {
                let secret = names.contains(key) || Self.looksSecret(key)
                redacted[key] = secret ? .string("[REDACTED]") : value.redactingSecrets(named: names)
            }
            return .object(redacted)
        case .array(let elements):
            return .array(elements.map { $0.redactingSecrets(named: names) })
        case .null, .bool, .number, .string:
            return self
        }
    }

    /// Whether a member name contains one of ``secretNameParts``, ignoring ASCII case. A byte search: this runs
    /// for every member of every tool call's arguments, and `String.contains` goes through the generic searcher.
    private static func looksSecret(_ key: String) -> Bool {
        let lowered = key.utf8.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 + 32 : $0 }
        return secretNamePartBytes.contains { part in
            guard part.count <= lowered.count else { return false }
            return (0...(lowered.count - part.count)).contains { start in
                lowered[start..<(start + part.count)].elementsEqual(part)
            }
        }
    }

    private static let secretNamePartBytes = secretNameParts.map { Array($0.utf8) }
}

