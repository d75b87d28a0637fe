import Foundation
import Journal
import Testing

@Suite("Timestamp")
struct TimestampTests {
    @Test(
        "an instant's text is ISO 8601 in UTC with milliseconds, rounded down, and parses back",
        arguments: [
            (0.0, "1970-01-01T00:00:00.000Z"),
            (1_796_126_400.123_9, "2026-12-01T12:00:00.123Z"),
            (951_782_400.5, "2000-02-29T00:00:00.500Z"),
            (253_402_300_799.999_5, "9999-12-31T23:59:59.999Z"),
            (-0.000_5, "1969-12-31T23:59:59.999Z"),
            (-86_400.25, "1969-12-30T23:59:59.750Z"),
        ])
    func text(seconds: Double, expected: String) throws {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(Timestamp.string(from: date) == expected)
        // Before 1970 a whole millisecond times 1,000 can land just below itself in binary: no round trip there.
        guard seconds >= 0 else { return }
        let parsed = try #require(Timestamp.date(from: expected))
        #expect(Timestamp.string(from: parsed) == expected)
    }
}
