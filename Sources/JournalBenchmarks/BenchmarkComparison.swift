/// One ratio between two lines of a run, and the target it should meet (if any).
public struct BenchmarkComparison: Sendable, Hashable {
    /// What is compared, e.g. `append_concurrent FULL / raw append_tx_per_event FULL`.
    public var label: String
    /// goldenpath's events/s over raw-sqlite's; nil when a line is missing.
    public var ratio: Double?
    /// The least ratio the project targets; nil for a ratio shown for information.
    public var target: Double?

    /// True when there is no target, or the ratio meets it.
    public var isMet: Bool {
        guard let target else { return true }
        guard let ratio else { return false }
        return ratio >= target
    }

    /// Creates a comparison.
    public init(label: String, ratio: Double?, target: Double?) {
        self.label = label
        self.ratio = ratio
        self.target = target
    }
}
