/// An incremental parser of a `text/event-stream` body (the WHATWG server-sent events format), fed the bytes as they
/// arrive in whatever pieces the network delivers.
///
/// It follows the standard's parsing rules for what a chat-completions stream uses: lines end in `\r\n`, `\n` or
/// `\r` (also when the two bytes of a `\r\n` arrive in different reads); a line that starts with `:` is a comment;
/// `field:value` drops one space after the colon, and a line without a colon is a field with an empty value;
/// `data` lines accumulate, joined by `\n`; a blank line dispatches the event (an event without data is not
/// dispatched); an event still open when the body ends is discarded. `event` names the event type; `id` and
/// `retry` are read and ignored (a chat-completions stream is never reconnected). A UTF-8 byte-order mark at the
/// very start is skipped.
///
/// The standard's well-kept Swift implementation in the package mirror (mattt/EventSource) parses through an actor,
/// one `await` per byte, and brings URLSession along; this one is a plain value with no I/O, so its tests feed it
/// bytes split at every position.
package struct ServerSentEventParser: Sendable {
    /// One dispatched event.
    package struct Event: Sendable, Hashable {
        /// The `event` field, `message` when absent.
        package var type: String
        /// The `data` lines, joined by `\n`.
        package var data: String

        /// Creates an event.
        package init(type: String = "message", data: String) {
            self.type = type
            self.data = data
        }
    }

    private static let lineFeed: UInt8 = 0x0A
    private static let carriageReturn: UInt8 = 0x0D
    private static let colon: UInt8 = 0x3A
    private static let space: UInt8 = 0x20
    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The bytes of the line being read (without its line end).
    private var line: [UInt8] = []
    /// The previous piece ended with `\r`: a `\n` that starts the next piece belongs to that line end.
    private var skipLineFeed = false
    /// No line has ended yet (a byte-order mark may start this one).
    private var isFirstLine = true
    /// The open event's data lines, each followed by `\n`.
    private var data: [UInt8] = []
    /// The open event has at least one data line.
    private var hasData = false
    /// The open event's `event` field.
    private var eventType = ""

    /// Creates a parser at the start of a stream.
    package init() {}

    /// Reads the next piece of the body and returns the events it completes, in order.
    package mutating func feed(_ bytes: some Sequence<UInt8>) -> [Event] {
        var events: [Event] = []
        for byte in bytes {
            if skipLineFeed {
                skipLineFeed = false
                if byte == Self.lineFeed { continue }
            }
            switch byte {
            case Self.lineFeed:
                if let event = endLine() { events.append(event) }
            case Self.carriageReturn:
                skipLineFeed = true
                if let event = endLine() { events.append(event) }
            default:
                line.append(byte)
            }
        }
        return events
    }

    /// Processes the line just ended; a blank line dispatches the open event.
    private mutating func endLine() -> Event? {
        defer { line.removeAll(keepingCapacity: true) }
        if isFirstLine {
            isFirstLine = false
            if line.starts(with: Self.byteOrderMark) { line.removeFirst(Self.byteOrderMark.count) }
        }
        guard !line.isEmpty else { return dispatch() }
        guard line[0] != Self.colon else { return nil }  // a comment
        let field: ArraySlice<UInt8>
        var value: ArraySlice<UInt8>
        if let colon = line.firstIndex(of: Self.colon) {
            field = line[..<colon]
            value = line[(colon + 1)...]
            if value.first == Self.space { value = value.dropFirst() }
        } else {
            field = line[...]
            value = []
        }
        switch String(decoding: field, as: UTF8.self) {
        case "data":
            data.append(contentsOf: value)
            data.append(Self.lineFeed)
            hasData = true
        case "event":
            eventType = String(decoding: value, as: UTF8.self)
        default:
            break  // `id`, `retry` and unknown fields
        }
        return nil
    }

    /// Ends the open event: returns it when it has data, and starts the next one.
    private mutating func dispatch() -> Event? {
        defer {
            data.removeAll(keepingCapacity: true)
            hasData = false
            eventType = ""
        }
        guard hasData else { return nil }
        if data.last == Self.lineFeed { data.removeLast() }
        return Event(type: eventType.isEmpty ? "message" : eventType, data: String(decoding: data, as: UTF8.self))
    }
}
