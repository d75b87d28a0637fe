import Foundation
import Subprocess
import Synchronization

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// A child process for tests — a `goldenpath` command, `sqlite3`, `chromedriver` — run with swift-subprocess.
///
/// Not Foundation's `Process`: on Linux its `run()` reads `/proc/self/fd` with a 256-byte over-read of each
/// directory entry (swift-corelibs-foundation#5472, in the Swift 6.3 toolchain) and crashes the test process now
/// and then once it holds more than about 1,350 descriptors — which the parallel suites do (their live servers
/// hold 1,700 at peak). swift-subprocess closes the child's descriptors with `close_range` instead.
package final class ChildProcess: Sendable {
    /// How a program ended and what it printed.
    package struct Result: Sendable {
        /// How the program ended.
        package let termination: Termination
        /// Its standard output.
        package let standardOutput: String
        /// Its standard error (empty when it was merged into the output).
        package let standardError: String

        /// The exit code, or the signal number when a signal ended it.
        package var status: Int32 { termination.status }
    }

    /// How a child ended.
    package enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)

        /// The exit code, or the signal number when a signal ended it.
        package var status: Int32 {
            switch self {
            case .exited(let code), .signalled(let code): code
            }
        }

        init(_ status: TerminationStatus) {
            switch status {
            case .exited(let code): self = .exited(code)
            case .signaled(let signal): self = .signalled(signal)
            }
        }
    }

    /// The child's process id.
    package let processIdentifier: pid_t
    /// The child's standard output, chunk by chunk as it comes, until it closes.
    package let output: AsyncStream<String>
    private let ending: Task<Termination, any Error>
    /// Set once the child has been reaped (its pid may then be another process's).
    private let ended: ExitFlag

    /// Whether the child has been reaped.
    private final class ExitFlag: Sendable {
        let value = Mutex(false)
        var isSet: Bool { value.withLock { $0 } }
        func set() { value.withLock { $0 = true } }
    }

    private init(
        processIdentifier: pid_t, output: AsyncStream<String>, ending: Task<Termination, any Error>, ended: ExitFlag
    ) {
        self.processIdentifier = processIdentifier
        self.output = output
        self.ending = ending
        self.ended = ended
    }

    /// Runs `executable` to its end and returns what it printed; `mergingErrors` writes its stderr into the
    /// output, in order.
    /// - Throws: `SubprocessError` when it cannot be started.
    package static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:], mergingErrors: Bool = false
    ) async throws -> Result {
        let limit = 64 * 1_024 * 1_024
        if mergingErrors {
            let result = try await Subprocess.run(
                .path(FilePath(executable.path)), arguments: Arguments(arguments),
                environment: Self.environment(environment), output: .string(limit: limit),
                error: .combinedWithOutput)
            return Result(
                termination: Termination(result.terminationStatus), standardOutput: result.standardOutput,
                standardError: "")
        }
        let result = try await Subprocess.run(
            .path(FilePath(executable.path)), arguments: Arguments(arguments),
            environment: Self.environment(environment), output: .string(limit: limit), error: .string(limit: limit))
        return Result(
            termination: Termination(result.terminationStatus), standardOutput: result.standardOutput,
            standardError: result.standardError)
    }

    /// Starts `executable` and returns once it runs; its stdout is read as it comes (``output``), its stderr is
    /// discarded.
    /// - Throws: `SubprocessError` when it cannot be started.
    package static func start(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:]
    ) async throws -> ChildProcess {
        let (started, starting) = AsyncStream<pid_t>.makeStream()
        let (output, chunks) = AsyncStream<String>.makeStream()
        let ended = ExitFlag()
        let ending = Task {
            defer {
                ended.set()
                starting.finish()
                chunks.finish()
            }
            let result = try await Subprocess.run(
                .path(FilePath(executable.path)), arguments: Arguments(arguments),
                environment: Self.environment(environment), input: .none, output: .sequence, error: .discarded
            ) { execution in
                starting.yield(execution.processIdentifier.value)
                starting.finish()
                // Drained for the child's whole life, so that it never blocks on a full pipe.
                for try await buffer in execution.standardOutput {
                    chunks.yield(buffer.withUnsafeBytes { String(decoding: $0, as: UTF8.self) })
                }
            }
            return Termination(result.terminationStatus)
        }
        var pids = started.makeAsyncIterator()
        guard let pid = await pids.next() else {
            _ = try await ending.value  // rethrows why it could not start
            throw CocoaError(.executableLoad)
        }
        return ChildProcess(processIdentifier: pid, output: output, ending: ending, ended: ended)
    }

    /// Sends `signal` to the child (nothing when it has ended).
    package func signal(_ signal: Int32) {
        if isRunning { kill(processIdentifier, signal) }
    }

    /// Waits until the child has ended.
    /// - Throws: `SubprocessError` when its output could not be read.
    @discardableResult
    package func awaitExit() async throws -> Termination {
        try await ending.value
    }

    /// Sends `signal` and waits for the exit, sending SIGKILL when it has not come after `grace` (a child may
    /// inherit an ignored SIGTERM).
    @discardableResult
    package func stop(_ signal: Int32 = SIGTERM, grace: Duration = .seconds(10)) async throws -> Termination {
        self.signal(signal)
        return try await awaitExit(killingAfter: grace)
    }

    /// Waits for the exit, sending SIGKILL when it has not come after `grace`.
    @discardableResult
    package func awaitExit(killingAfter grace: Duration) async throws -> Termination {
        let pid = processIdentifier
        let ended = self.ended
        let killer = Task {
            try await Task.sleep(for: grace)  // a deadline for a hung child, never a wait for a result
            if !ended.isSet { kill(pid, SIGKILL) }
        }
        defer { killer.cancel() }
        return try await awaitExit()
    }

    /// False once the child has ended.
    package var isRunning: Bool { !ended.isSet }

    /// Reads stdout until it contains `text`; false when the child closed its output first.
    package func awaitOutput(containing text: String) async -> Bool {
        var seen = ""
        for await chunk in output {
            seen += chunk
            if seen.contains(text) { return true }
        }
        return false
    }

    /// The child's stdout split into lines (without their newline), as they come.
    package func lines() -> AsyncStream<String> {
        let output = self.output
        return AsyncStream { continuation in
            let reader = Task {
                var pending = ""
                for await chunk in output {
                    pending += chunk
                    while let newline = pending.firstIndex(of: "\n") {
                        continuation.yield(String(pending[..<newline]))
                        pending = String(pending[pending.index(after: newline)...])
                    }
                }
                if !pending.isEmpty { continuation.yield(pending) }
                continuation.finish()
            }
            continuation.onTermination = { _ in reader.cancel() }
        }
    }

    private static func environment(_ extra: [String: String]) -> Subprocess.Environment {
        var updates: [Subprocess.Environment.Key: String?] = [:]
        for (name, value) in extra {
            if let key = Subprocess.Environment.Key(rawValue: name) { updates[key] = value }
        }
        return .inherit.updating(updates)
    }
}
