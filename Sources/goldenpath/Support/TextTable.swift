import Foundation

/// Aligned columns for people; colour only when stdout is a terminal.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []

    init(_ headers: String...) {
        self.headers = headers
    }

    mutating func append(_ row: [String]) {
        rows.append(row)
    }

    func render() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([Terminal.bold(line(headers))] + rows.map(line)).joined(separator: "\n")
    }
}

/// ANSI styling, applied only when stdout is a terminal and NO_COLOR is not set.
enum Terminal {
    static let isColor = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

    static func bold(_ text: String) -> String { style(text, "1") }
    static func green(_ text: String) -> String { style(text, "32") }
    static func red(_ text: String) -> String { style(text, "31") }
    static func yellow(_ text: String) -> String { style(text, "33") }
    static func dim(_ text: String) -> String { style(text, "2") }

    /// Green for good statuses, red for bad, yellow for the rest.
    static func status(_ status: String) -> String {
        switch status {
        case "completed", "success", "ok": green(status)
        case "failed", "error", "timeout", "cancelled": red(status)
        default: yellow(status)
        }
    }

    private static func style(_ text: String, _ code: String) -> String {
        isColor ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
