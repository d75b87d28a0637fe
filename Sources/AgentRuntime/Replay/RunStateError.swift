/// An event that the replay fold cannot apply.
public struct RunStateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as a value to switch on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let rawValue: String
        /// The event belongs to another run.
        public static let wrongRun = Code(rawValue: "wrong_run")
        /// The event comes after the run's terminal event.
        public static let afterTerminal = Code(rawValue: "after_terminal")
        /// The payload cannot be read (unknown type, unsupported schema version, invalid JSON).
        public static let undecodable = Code(rawValue: "undecodable")
        /// The journal has no event of that run.
        public static let unknownRun = Code(rawValue: "unknown_run")

        /// The code's text.
        public var description: String { rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A sentence for people.
    public var message: String
    /// The event concerned, if any.
    public var seq: Int64?

    /// Creates an error.
    public init(code: Code, message: String, seq: Int64? = nil) {
        self.code = code
        self.message = message
        self.seq = seq
    }

    /// The message and the code.
    public var description: String { "\(message) [\(code)]" }
}
