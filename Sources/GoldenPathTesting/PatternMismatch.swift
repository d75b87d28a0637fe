import Foundation

/// Why a sequence of events did not match an ``EventPattern``: the pattern, the actual events, and where the
/// match got furthest before failing. Its `description` is a side-by-side diff with the first difference marked.
public struct PatternMismatch: Sendable, Hashable, CustomStringConvertible, Error {
    /// The expected pattern.
    public var pattern: EventPattern
    /// The actual events.
    public var actual: [EventSummary]
    /// The index of the first event no match could consume (equal to `actual.count` when events ran out).
    public var firstUnmatchedEvent: Int
    /// The index of the pattern element that was expected there (equal to the element count when the pattern
    /// ended before the events).
    public var firstUnmatchedElement: Int

    /// Creates a mismatch.
    public init(pattern: EventPattern, actual: [EventSummary], firstUnmatchedEvent: Int, firstUnmatchedElement: Int) {
        self.pattern = pattern
        self.actual = actual
        self.firstUnmatchedEvent = firstUnmatchedEvent
        self.firstUnmatchedElement = firstUnmatchedElement
    }

    /// The expected element at the first difference, or nil when the pattern had ended.
    public var expectedElement: EventPattern.Element? {
        firstUnmatchedElement < pattern.elements.count ? pattern.elements[firstUnmatchedElement] : nil
    }

    /// The actual event at the first difference, or nil when the events had ended.
    public var actualEvent: EventSummary? {
        firstUnmatchedEvent < actual.count ? actual[firstUnmatchedEvent] : nil
    }

    /// A readable diff: the expected pattern and the actual events side by side, the first difference marked `>>`.
    public var description: String {
        var lines = [
            "event sequence does not match: at event #\(firstUnmatchedEvent) expected "
                + "\(expectedElement.map { "'\($0)'" } ?? "the end"), got "
                + "\(actualEvent.map { "'\($0)'" } ?? "the end")"
        ]
        let width = max(24, (pattern.elements.map(\.description.count).max() ?? 0) + 2)
        lines.append("   " + "expected".padding(toLength: width, withPad: " ", startingAt: 0) + "| actual")
        let rows = max(pattern.elements.count, actual.count)
        for row in 0..<rows {
            let expected = row < pattern.elements.count ? pattern.elements[row].description : ""
            let got = row < actual.count ? actual[row].description : ""
            let marker = row == firstUnmatchedEvent || (row == firstUnmatchedElement && row >= actual.count) ? ">> " : "   "
            lines.append(marker + expected.padding(toLength: width, withPad: " ", startingAt: 0) + "| " + got)
        }
        return lines.joined(separator: "\n")
    }
}
