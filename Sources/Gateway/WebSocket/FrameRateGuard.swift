import Foundation

/// Counts a connection's inbound frames: more than `limit` in `window` (default 120 in 10 s) closes it (1008).
struct FrameRateGuard {
    private var times: [Date] = []
    let limit: Int
    let window: TimeInterval

    init(limit: Int, window: TimeInterval = 10) {
        self.limit = limit
        self.window = window
    }

    /// Notes one frame; false when the connection is over the limit.
    mutating func admit(at now: Date) -> Bool {
        times.removeAll { now.timeIntervalSince($0) >= window }
        times.append(now)
        return times.count <= limit
    }
}
