import Foundation

/// A child process whose stdout is read as it comes and whose exit can be awaited (Foundation's
/// `waitUntilExit` spins a core on Linux while it waits).
final class ChildProcess: Sendable {
    let process: Process
    /// Finishes when the process exits.
    let exited: AsyncStream<Void>
    /// The child's stdout, chunk by chunk, until it closes.
    let output: AsyncStream<String>

    /// Starts `executable` with `arguments` and extra environment variables; stderr is discarded.
    init(_ executable: URL, _ arguments: [String], environment extra: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(extra) { _, new in new }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let (output, chunks) = AsyncStream<String>.makeStream()
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            guard !chunk.isEmpty else {
                handle.readabilityHandler = nil
                chunks.finish()
                return
            }
            chunks.yield(String(decoding: chunk, as: UTF8.self))
        }
        let (exited, exit) = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in exit.finish() }
        try process.run()
        self.process = process
        self.exited = exited
        self.output = output
    }

    /// Reads stdout until it contains `text`; false when the child closed its output first.
    func awaitOutput(containing text: String) async -> Bool {
        var seen = ""
        for await chunk in output {
            seen += chunk
            if seen.contains(text) { return true }
        }
        return false
    }

    /// Sends a signal and waits for the exit (SIGKILL after 10 s: a child may inherit an ignored SIGTERM).
    func signal(_ signal: Int32) async {
        if process.isRunning { kill(process.processIdentifier, signal) }
        await awaitExit(killingAfter: 10)
    }

    /// Waits for the exit, sending SIGKILL if it has not come after `seconds`.
    func awaitExit(killingAfter seconds: Int) async {
        let process = process
        let killer = Task {
            try await Task.sleep(for: .seconds(seconds))
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        for await _ in exited {}
        killer.cancel()
    }
}
