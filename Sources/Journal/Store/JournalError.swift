import GRDB

/// An error from the journal: a code to switch on, a message for people, and the underlying cause.
public struct JournalError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a value to switch on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let rawValue: String
        /// The stream's version differs from the append's expected version; nothing was written.
        public static let streamVersionConflict = Code(rawValue: "stream_version_conflict")
        /// An event id in the batch is already recorded with different content or position.
        public static let duplicateEventID = Code(rawValue: "duplicate_event_id")
        /// A payload is not valid JSON, or does not decode as the type asked for.
        public static let invalidPayload = Code(rawValue: "invalid_payload")
        /// The file is not a SQLite database, or is damaged.
        public static let notADatabase = Code(rawValue: "not_a_database")
        /// The file or its directory is read-only.
        public static let readOnly = Code(rawValue: "read_only")
        /// The disk (or the database's size limit) is full.
        public static let diskFull = Code(rawValue: "disk_full")
        /// Another connection holds a lock for longer than the busy timeout.
        public static let busy = Code(rawValue: "busy")
        /// An I/O error at the storage layer.
        public static let ioError = Code(rawValue: "io_error")
        /// The file cannot be opened.
        public static let cannotOpen = Code(rawValue: "cannot_open")
        /// A subscriber fell further behind than its buffer allows under the `.fail` policy.
        public static let subscriberLagged = Code(rawValue: "subscriber_lagged")
        /// The journal was closed.
        public static let closed = Code(rawValue: "closed")
        /// Anything else SQLite reported.
        public static let storage = Code(rawValue: "storage")
        /// A row written beside the events has the key of a row already there (``ProjectionRow/ConflictPolicy/fail``).
        public static let rowConflict = Code(rawValue: "row_conflict")

        /// The code as text (`stream_version_conflict`, …).
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

    /// The message followed by the code, on one line.
    public var description: String { "\(message) [\(code)]" }

    /// Maps any error from the storage layer to a `JournalError`, keeping typed journal errors as they are.
    static func wrap(_ error: any Error, _ context: String) -> JournalError {
        if let error = error as? JournalError { return error }
        guard let dbError = error as? DatabaseError else {
            return JournalError(code: .storage, message: "\(context): \(error)", cause: nil)
        }
        let code: Code
        switch dbError.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT: code = .notADatabase
        case .SQLITE_READONLY: code = .readOnly
        case .SQLITE_FULL: code = .diskFull
        case .SQLITE_BUSY, .SQLITE_LOCKED: code = .busy
        case .SQLITE_IOERR: code = .ioError
        case .SQLITE_CANTOPEN: code = .cannotOpen
        case .SQLITE_CONSTRAINT where dbError.extendedResultCode == .SQLITE_CONSTRAINT_CHECK:
            code = .invalidPayload
        case .SQLITE_CONSTRAINT
        where dbError.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
            || dbError.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY:
            code = .rowConflict
        default: code = .storage
        }
        let detail = dbError.message ?? "\(dbError.resultCode)"
        return JournalError(code: code, message: "\(context): \(detail)", cause: dbError)
    }
}
