import Foundation

/// Writes the command's output. A reader that has gone away — a closed pipe, as in
/// `goldenpath runs --json | head -1` — ends the command quietly with status 0, as it does any Unix filter;
/// Foundation's non-throwing `FileHandle.write(_:)` would crash the process on `EPIPE` instead. Any other failure
/// to write (a full disk behind a redirect) is one line on stderr and status 2.
enum StandardOutput {
    static func write(_ text: String) {
        write(Data(text.utf8))
    }

    static func write(_ data: Data) {
        do {
            try FileHandle.standardOutput.write(contentsOf: data)
        } catch {
            guard !isBrokenPipe(error) else { exit(0) }
            writeError("goldenpath: cannot write the output: \(describe(error))")
            exit(2)
        }
    }

    /// Writes one line to stderr, ignoring a stderr that cannot be written.
    static func writeError(_ line: String) {
        try? FileHandle.standardError.write(contentsOf: Data((line + "\n").utf8))
    }

    /// Whether `error` (or the error under it) is `EPIPE`.
    private static func isBrokenPipe(_ error: any Error) -> Bool {
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain, error.code == Int(EPIPE) { return true }
        guard let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError else { return false }
        return underlying.domain == NSPOSIXErrorDomain && underlying.code == Int(EPIPE)
    }
}
