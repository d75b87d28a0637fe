import Foundation
import Synchronization

/// A `goldenpath serve` child process on a free port, for benchmarks measured from another process.
final class ServeChild: Sendable {
    private let process: Process
    /// The port it serves on.
    let port: Int

    private init(process: Process, port: Int) {
        self.process = process
        self.port = port
    }

    /// Starts `executable serve --db journalPath --port 0 extra…` and returns once it reports its port.
    /// - Throws: ``BenchmarkFailure`` when the child exits without serving.
    static func start(executable: URL, journalPath: String, extra: [String] = []) async throws -> ServeChild {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve", "--db", journalPath, "--port", "0"] + extra
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let (lines, continuation) = AsyncStream<String>.makeStream()
        let pending = Mutex(Data())
        // Drains the child's output for its whole life, so that it never blocks on a full pipe.
        output.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            guard !chunk.isEmpty else {
                handle.readabilityHandler = nil
                continuation.finish()
                return
            }
            let complete = pending.withLock { pending -> [String] in
                pending.append(chunk)
                var found: [String] = []
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    found.append(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending.removeSubrange(pending.startIndex...newline)
                }
                return found
            }
            complete.forEach { continuation.yield($0) }
        }
        try process.run()
        for await line in lines {
            // "goldenpath: serving http://127.0.0.1:PORT (journal …); Ctrl-C stops"
            guard let range = line.range(of: "serving http://127.0.0.1:") else { continue }
            if let port = Int(line[range.upperBound...].prefix { $0.isNumber }) {
                return ServeChild(process: process, port: port)
            }
        }
        throw BenchmarkFailure("goldenpath serve exited without serving")
    }

    /// Stops the child (SIGTERM) and waits for it.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
