public import Foundation

/// The journal's text form of an instant: ISO 8601, UTC, milliseconds (`2026-11-30T10:00:00.123Z`).
public enum Timestamp {
    /// Formats an instant.
    ///
    /// Digits written directly: `String(format:)` goes through `NSString` and cost 4 % of `bench journal`
    /// (every batch stamps its events, every frame its reply).
    public static func string(from date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let (wholeSeconds, ms) = millis.quotientAndRemainder(dividingBy: 1000)
        // Floor division, so that instants before 1970 keep a positive millisecond part.
        var seconds = time_t(ms < 0 ? wholeSeconds - 1 : wholeSeconds)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var text: [UInt8] = []
        text.reserveCapacity(24)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            var rest = max(0, value)
            for _ in 0..<count {
                text.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(Int(parts.tm_year) + 1900, 4)
        text.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mon) + 1, 2)
        text.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mday), 2)
        text.append(UInt8(ascii: "T"))
        digits(Int(parts.tm_hour), 2)
        text.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_min), 2)
        text.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_sec), 2)
        text.append(UInt8(ascii: "."))
        digits(Int(ms < 0 ? ms + 1000 : ms), 3)
        text.append(UInt8(ascii: "Z"))
        return String(decoding: text, as: UTF8.self)
    }

    /// Parses the journal's text form; nil when the text is not in that form.
    public static func date(from string: String) -> Date? {
        try? Date(string, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
