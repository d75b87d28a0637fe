import Journal

/// The event frames a connection holds back while the journal cannot record their deliveries, in order, with the
/// backoff of the next retry (50 ms, doubling, at most 2 s).
struct HeldFrames {
    /// More frames held than the connection's limit: it is closed like a client that fell behind.
    struct Overflow: Error {}

    /// The frames, oldest first.
    private(set) var frames: [RecordedEvent] = []
    private let limit: Int
    private var backoff: Duration = .zero

    init(limit: Int) {
        self.limit = limit
    }

    var isEmpty: Bool { frames.isEmpty }
    var count: Int { frames.count }

    /// Holds `events` behind the frames already held.
    /// - Throws: ``Overflow`` past the limit.
    mutating func append(_ events: [RecordedEvent]) throws(Overflow) {
        frames += events
        guard frames.count <= limit else { throw Overflow() }
    }

    /// The wait before the next retry.
    mutating func nextBackoff() -> Duration {
        backoff = backoff == .zero ? .milliseconds(50) : min(backoff * 2, .seconds(2))
        return backoff
    }

    /// Forgets the frames once they are sent, and resets the backoff.
    mutating func removeAll() {
        frames.removeAll()
        backoff = .zero
    }
}
