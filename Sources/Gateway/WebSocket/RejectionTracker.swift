import Foundation

/// Folds repeated rejections of one code on one connection within a minute into one journal record.
///
/// The first rejection of a burst is journaled at once with `repeat_count` 1. Repeats of the same code within
/// the window are only counted; when the burst ends (another code, the window passed, or the connection
/// closed) one more record carries the number of repeats not written. Summing `repeat_count` over a
/// connection's `input_rejected` events gives the number of rejections.
struct RejectionTracker {
    /// A record to journal.
    struct Record: Equatable {
        var code: String
        var message: String
        var repeatCount: Int
    }

    private struct Burst {
        var code: String
        var message: String
        var startedAt: Date
        var unwritten: Int
    }

    private var burst: Burst?
    let window: TimeInterval

    init(window: TimeInterval = 60) {
        self.window = window
    }

    /// Notes one rejection; returns the records to journal now (none while a burst repeats).
    mutating func reject(code: String, message: String, at now: Date) -> [Record] {
        if var current = burst, current.code == code, now.timeIntervalSince(current.startedAt) < window {
            current.unwritten += 1
            burst = current
            return []
        }
        var records = flush()
        records.append(Record(code: code, message: message, repeatCount: 1))
        burst = Burst(code: code, message: message, startedAt: now, unwritten: 0)
        return records
    }

    /// Ends the current burst; returns its summary record when it had unwritten repeats.
    mutating func flush() -> [Record] {
        defer { burst = nil }
        guard let current = burst, current.unwritten > 0 else { return [] }
        return [Record(code: current.code, message: current.message, repeatCount: current.unwritten)]
    }
}
