/// An error the Agents layer gives its callers (the gateway maps each code to a protocol error code).
public struct AgentsError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a value to switch on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's text (`THREAD_NOT_FOUND`, …), the same as the protocol's.
        public let rawValue: String
        /// The thread is unknown or another user's.
        public static let threadNotFound = Code(rawValue: "THREAD_NOT_FOUND")
        /// The run is unknown or another user's.
        public static let runNotFound = Code(rawValue: "RUN_NOT_FOUND")
        /// The run has already ended.
        public static let runAlreadyEnded = Code(rawValue: "RUN_ALREADY_ENDED")
        /// The user already has the most open runs allowed.
        public static let tooManyRuns = Code(rawValue: "TOO_MANY_RUNS")
        /// The journal cannot be written.
        public static let journalUnavailable = Code(rawValue: "JOURNAL_UNAVAILABLE")
        /// The message is not acceptable (blank).
        public static let invalidMessage = Code(rawValue: "EMPTY_MESSAGE")
        /// The coordinator is shutting down and takes no new runs.
        public static let shuttingDown = Code(rawValue: "SHUTTING_DOWN")
        /// Anything else.
        public static let `internal` = Code(rawValue: "INTERNAL")

        /// The text form, for logs.
        public var description: String { rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A sentence for people.
    public var message: String
    /// The underlying error, if any.
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    public init(code: Code, message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// The text form, for logs.
    public var description: String { "\(message) [\(code)]" }
}
