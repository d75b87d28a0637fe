/// An error of the benchmark: a code to switch on and a message for people.
public struct BenchmarkError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let rawValue: String
        /// The sizes or the directory cannot be used.
        public static let invalidConfiguration = Code(rawValue: "invalid_configuration")
        /// A fold did not end with every run `completed / supervisor / 12`.
        public static let foldMismatch = Code(rawValue: "fold_mismatch")
        /// The leak query did not find exactly the planted leaks.
        public static let leakMismatch = Code(rawValue: "leak_mismatch")
        /// The raw SQLite peer got an error from SQLite.
        public static let sqlite = Code(rawValue: "sqlite")

        /// The code as text (`fold_mismatch`, …).
        public var description: String { rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A sentence for people.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The message followed by the code.
    public var description: String { "\(message) [\(code)]" }
}
