/// One finding of `verify`.
public struct IntegrityProblem: Sendable, Hashable, CustomStringConvertible {
    /// Whether the finding fails the check.
    public enum Severity: String, Sendable, Hashable {
        /// Fails verification.
        case failure
        /// Reported; fails verification only in strict mode.
        case warning
    }

    /// The check that found it (`sequence`, `hash_chain`, `projection:runs`, …).
    public var check: String
    /// The event concerned, when there is one.
    public var seq: Int64?
    /// What is wrong, for people.
    public var message: String
    /// Whether it fails verification.
    public var severity: Severity

    /// Creates a finding.
    public init(check: String, seq: Int64? = nil, message: String, severity: Severity = .failure) {
        self.check = check
        self.seq = seq
        self.message = message
        self.severity = severity
    }

    /// `[check] seq N: message`, on one line.
    public var description: String {
        let place = seq.map { "seq \($0): " } ?? ""
        return "[\(check)] \(place)\(message)"
    }
}
