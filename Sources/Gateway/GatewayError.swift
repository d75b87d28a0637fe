/// An error the gateway answers with: a protocol code (`RATE_LIMITED`, …), a message for people, the cause.
///
/// Every error that reaches a client, over HTTP or the WebSocket, is first turned into a `GatewayError` by
/// ``GatewayError/from(_:)`` — the one place that maps agent, journal and auth errors to protocol codes.
public struct GatewayError: Error, Sendable, CustomStringConvertible {
    /// A protocol error code, as sent in `{"error": {"code"}}` and in `error` frames.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code as it appears on the wire.
        public let rawValue: String

        /// Creates a code from its wire form.
        public init(_ rawValue: String) { self.rawValue = rawValue }

        /// No valid token.
        public static let authFailed = Code("AUTH_FAILED")
        /// The token expired while the connection was open.
        public static let authExpired = Code("AUTH_EXPIRED")
        /// Not JSON, not a JSON object, or a binary frame.
        public static let invalidJSON = Code("INVALID_JSON")
        /// A frame `type` the server does not know.
        public static let unknownType = Code("UNKNOWN_TYPE")
        /// A field of the wrong type or form.
        public static let invalidField = Code("INVALID_FIELD")
        /// A message whose content is blank.
        public static let emptyMessage = Code("EMPTY_MESSAGE")
        /// A message whose content is over the size limit.
        public static let messageTooLarge = Code("MESSAGE_TOO_LARGE")
        /// Too many messages per minute.
        public static let rateLimited = Code("RATE_LIMITED")
        /// An unknown thread, or another user's.
        public static let threadNotFound = Code("THREAD_NOT_FOUND")
        /// An unknown run, or another user's.
        public static let runNotFound = Code("RUN_NOT_FOUND")
        /// A stop for a run that already ended.
        public static let runAlreadyEnded = Code("RUN_ALREADY_ENDED")
        /// Too many concurrent runs for the user.
        public static let tooManyRuns = Code("TOO_MANY_RUNS")
        /// Too many open connections for the user.
        public static let tooManyConnections = Code("TOO_MANY_CONNECTIONS")
        /// The journal cannot be written.
        public static let journalUnavailable = Code("JOURNAL_UNAVAILABLE")
        /// Anything else.
        public static let `internal` = Code("INTERNAL")
        /// HTTP: the body or a parameter is not acceptable.
        public static let invalidRequest = Code("INVALID_REQUEST")
        /// HTTP: sign-up with a name that is taken.
        public static let usernameTaken = Code("USERNAME_TAKEN")
        /// HTTP: wrong user name or password (the same answer whether or not the user exists).
        public static let invalidCredentials = Code("INVALID_CREDENTIALS")
        /// HTTP: an unknown resource, or another user's.
        public static let notFound = Code("NOT_FOUND")

        /// The code as it appears on the wire.
        public var description: String { rawValue }
    }

    /// The protocol code.
    public var code: Code
    /// A sentence for people: no stack traces, no file paths, no secrets.
    public var message: String
    /// The underlying error, for logs only.
    public var cause: (any Error & Sendable)?
    /// When a throttled request may be tried again (HTTP `Retry-After`, whole seconds rounded up).
    public var retryAfter: Duration?

    /// Creates an error.
    public init(
        code: Code, message: String, cause: (any Error & Sendable)? = nil, retryAfter: Duration? = nil
    ) {
        self.code = code
        self.message = message
        self.cause = cause
        self.retryAfter = retryAfter
    }

    /// The message followed by the code.
    public var description: String { "\(message) [\(code)]" }
}
