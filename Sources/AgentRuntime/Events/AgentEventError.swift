/// An event read from the journal that the Agents vocabulary cannot turn into an ``AgentEvent``.
public struct AgentEventError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as a value to switch on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let rawValue: String
        /// The type string is not one of ``EventType``'s.
        public static let unknownType = Code(rawValue: "unknown_type")
        /// The schema version is newer than this code knows, or no upcaster exists for it.
        public static let unsupportedSchemaVersion = Code(rawValue: "unsupported_schema_version")
        /// The payload does not decode as the type's payload struct.
        public static let invalidPayload = Code(rawValue: "invalid_payload")
        /// The payload could not be encoded as JSON.
        public static let unencodable = Code(rawValue: "unencodable")

        /// The text form, for logs.
        public var description: String { rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A sentence for people.
    public var message: String
    /// The sequence number of the event, when it was read from the journal.
    public var seq: Int64?

    /// Creates an error.
    public init(code: Code, message: String, seq: Int64? = nil) {
        self.code = code
        self.message = message
        self.seq = seq
    }

    /// The text form, for logs.
    public var description: String { "\(message) [\(code)]" }
}
