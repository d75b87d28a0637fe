/// A tool could not produce a result.
public struct ToolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as a value to switch on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code as journaled (`TOOL_FAILED`, …).
        public let rawValue: String
        /// The parameters are missing something the tool needs.
        public static let invalidParameters = Code(rawValue: "INVALID_PARAMETERS")
        /// The tool failed.
        public static let failed = Code(rawValue: "TOOL_FAILED")
        /// No tool of that name is registered.
        public static let unknownTool = Code(rawValue: "UNKNOWN_TOOL")
        /// The language model gave no usable answer.
        public static let llmUnavailable = Code(rawValue: "LLM_UNAVAILABLE")

        /// Creates a code.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// The text form, for logs.
        public var description: String { rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A sentence for people (no stack traces, no file paths).
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The text form, for logs.
    public var description: String { "\(message) [\(code)]" }
}
