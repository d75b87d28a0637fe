import Foundation

/// Writes the command's output. A reader that has gone away — a closed pipe, as in
/// `goldenpath runs --json | head -1` — ends the command quietly with status 0, as it does any Unix filter;
/// Foundation's non-throwing `FileHandle.write(_:)` would crash the process on `EPIPE` instead.
enum StandardOutput {
    static func write(_ text: String) {
        write(Data(text.utf8))
    }

    static func write(_ data: Data) {
        do {
            try FileHandle.standardOutput.write(contentsOf: data)
        } catch {
            exit(0)
        }
    }

    /// Writes one line to stderr, ignoring a stderr that cannot be written.
    static func writeError(_ line: String) {
        try? FileHandle.standardError.write(contentsOf: Data((line + "\n").utf8))
    }
}
