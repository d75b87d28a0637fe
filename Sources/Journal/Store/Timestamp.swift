import Foundation

/// The journal's text form of an instant: ISO 8601, UTC, milliseconds (`2026-11-30T10:00:00.123Z`).
public enum Timestamp {
    /// Formats an instant.
    public static func string(from date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(millis / 1000)
        let ms = Int(millis % 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), ms)
    }

    /// Parses the journal's text form; nil when the text is not in that form.
    public static func date(from string: String) -> Date? {
        try? Date(string, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
