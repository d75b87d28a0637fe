extension JSONValue {
    /// The string member `key` of a parameters object.
    /// - Throws: ``ToolError`` (`invalidParameters`) when it is absent or not a string.
    func requiredString(_ key: String, tool: String) throws -> String {
        guard let value = self[key]?.stringValue else {
            throw ToolError(code: .invalidParameters, message: "\(tool) needs the string parameter \(key)")
        }
        return value
    }

    /// The same value with the members whose names look secret (`password`, `token`, `api_key`, …) replaced by
    /// `"[REDACTED]"`, at any depth.
    public func redactingSecrets() -> JSONValue {
        switch self {
        case .object(let members):
            var redacted: [String: JSONValue] = [:]
            for (key, value) in members {
                let lowered = key.lowercased()
                let secret = ["password", "secret", "token", "api_key", "apikey", "authorization", "credential"]
                    .contains { lowered.contains($0) }
                redacted[key] = secret ? .string("[REDACTED]") : value.redactingSecrets()
            }
            return .object(redacted)
        case .array(let elements):
            return .array(elements.map { $0.redactingSecrets() })
        case .null, .bool, .number, .string:
            return self
        }
    }
}
