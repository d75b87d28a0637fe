import Foundation

/// Folds repeated rejections of one code on one connection within a minute into one journal record (SPEC §4).
///
/// The first rejection of a code is journaled at once with `repeat_count` 1. Further rejections of that code within
/// the minute are only counted — whatever other codes come in between, so a client alternating bad frames cannot
/// make the server write once per frame; when the minute has passed (noticed at the next rejection) or the
/// connection closes, one more record carries the repeats not written. Summing `repeat_count` over a connection's
/// `input_rejected` events gives the number of rejections.
struct RejectionTracker {
    /// A record to journal.
    struct Record: Equatable {
        var code: String
        var message: String
        var repeatCount: Int
    }

    private struct Burst {
        var message: String
        var startedAt: Date
        var unwritten: Int
    }

    private var bursts: [String: Burst] = [:]
    let window: TimeInterval

    init(window: TimeInterval = 60) {
        self.window = window
    }

    /// Notes one rejection; returns the records to journal now: the first of its code, and the summaries of the
    /// bursts whose minute has passed.
    mutating func reject(code: String, message: String, at now: Date) -> [Record] {
        let window = self.window
        var records = flush { now.timeIntervalSince($0.startedAt) >= window }
        if var current = bursts[code] {
            current.unwritten += 1
            bursts[code] = current
            return records
        }
        records.append(Record(code: code, message: message, repeatCount: 1))
        bursts[code] = Burst(message: message, startedAt: now, unwritten: 0)
        return records
    }

    /// Ends every burst (the connection closes); returns the summaries of those with unwritten repeats.
    mutating func flush() -> [Record] {
        flush { _ in true }
    }

    private mutating func flush(where ended: (Burst) -> Bool) -> [Record] {
        let done = bursts.filter { ended($0.value) }.sorted { $0.value.startedAt < $1.value.startedAt }
        for (code, _) in done { bursts[code] = nil }
        return done.compactMap { code, burst in
            burst.unwritten > 0 ? Record(code: code, message: burst.message, repeatCount: burst.unwritten) : nil
        }
    }
}
