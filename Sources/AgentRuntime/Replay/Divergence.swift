/// The first place where a re-executed run differs from its recording.
public struct Divergence: Sendable, Hashable, Codable {
    /// The position in the run's stream (1-based) of the first differing event.
    public var position: Int
    /// The recorded event there; nil when the re-execution produced more events than the recording.
    public var expected: ComparedEvent?
    /// The re-executed event there; nil when the re-execution stopped short.
    public var actual: ComparedEvent?
    /// The compared fields that differ (`type`, `payload.agent_name`, …); `event` when one side has no event.
    public var fields: [String]

    /// Creates a divergence.
    public init(position: Int, expected: ComparedEvent?, actual: ComparedEvent?, fields: [String]) {
        self.position = position
        self.expected = expected
        self.actual = actual
        self.fields = fields
    }

    /// The first divergence between two event sequences, or nil when they are the same.
    public static func first(expected: [ComparedEvent], actual: [ComparedEvent]) -> Divergence? {
        for index in 0..<max(expected.count, actual.count) {
            let recorded = index < expected.count ? expected[index] : nil
            let replayed = index < actual.count ? actual[index] : nil
            guard let recorded, let replayed else {
                return Divergence(position: index + 1, expected: recorded, actual: replayed, fields: ["event"])
            }
            let fields = ComparedEvent.differences(recorded, replayed)
            if !fields.isEmpty {
                return Divergence(position: index + 1, expected: recorded, actual: replayed, fields: fields)
            }
        }
        return nil
    }
}
