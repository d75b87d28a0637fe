import AgentRuntime
import Foundation
import GoldenPathClient
import Logging
import Synchronization

/// A real WebSocket client for tests, built on ``GoldenPathConnection``: connects with a token, sends JSON, and
/// collects every frame the server sends, in order. Awaits never sleep: they wake on each frame, and fail with
/// ``WaitError`` after a generous timeout instead of hanging.
///
/// ```swift
/// let client = try await TestWebSocketClient.connect(port: server.port, token: user.token)
/// try await client.send(["type": "user_message", "content": "hello"])
/// let frames = try await client.awaitRunEnd(runID: runID)
/// try await client.close()
/// ```
public final class TestWebSocketClient: Sendable {
    struct State {
        var frames: [Frame] = []
        var closed = false
        var closeCode: UInt16?
        var closeError: String?
        var waiters: [UInt64: CheckedContinuation<Bool, Never>] = [:]
        var cancelled: Set<UInt64> = []
        var nextWaiter: UInt64 = 0
    }

    let state = Mutex(State())
    /// The connection; nil when it could not be opened.
    private let connection: GoldenPathConnection?
    /// Reads the connection's frames into `state`; held and awaited by close().
    private let collector = Mutex<Task<Void, Never>?>(nil)
    /// The default time an await may take before it fails the test.
    public let timeout: Duration

    private init(connection: GoldenPathConnection?, timeout: Duration) {
        self.connection = connection
        self.timeout = timeout
    }

    /// Connects to `ws://127.0.0.1:<port>/ws`, presenting `token` (none when nil), and waits until the
    /// connection is open (or closed by the server straight away, as after a failed authentication). A connection
    /// that cannot be opened gives a client that is already closed, with no close code.
    ///
    /// `timeout` bounds each await of the client (and the opening): a deadline for a failing test, not a wait — 120 s
    /// by default, since on two cores a run that takes a second alone can take a minute beside the whole suite.
    /// Closing waits at most 30 s for the server's half of the handshake.
    /// - Throws: ``WaitError`` when the connection neither opens nor closes within `timeout`.
    public static func connect(
        port: Int, token: String?, transport: TokenTransport = .header, host: String = "127.0.0.1",
        timeout: Duration = .seconds(120), logger: Logger = Logger(label: "goldenpath.test-client")
    ) async throws -> TestWebSocketClient {
        let connection: GoldenPathConnection
        do {
            connection = try await GoldenPathConnection.connect(
                host: host, port: port, token: token, transport: transport.connectionTransport,
                configuration: GoldenPathConnection.Configuration(
                    connectTimeout: timeout, closeTimeout: min(timeout, .seconds(30))),
                logger: logger)
        } catch let error as GoldenPathClientError where error.code == .connectTimedOut {
            throw WaitError(description: "timed out after \(timeout) waiting for the connection to open")
        } catch let error as GoldenPathClientError where error.code == .connectFailed {
            let client = TestWebSocketClient(connection: nil, timeout: timeout)
            client.finished(code: nil, error: "\(error)")
            return client
        }
        let client = TestWebSocketClient(connection: connection, timeout: timeout)
        let collector = Task {
            do {
                for try await frame in connection.frames { client.received(Frame(frame)) }
                let closure = try await connection.closure()
                client.finished(code: closure.code, error: nil)
            } catch {
                client.finished(code: nil, error: "\(error)")
            }
        }
        client.collector.withLock { $0 = collector }
        return client
    }

    // MARK: - Sending

    /// Sends a JSON object as one text frame.
    public func send(_ object: [String: any Sendable]) async throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        try await send(text: String(decoding: data, as: UTF8.self))
    }

    /// Sends one text frame as is.
    public func send(text: String) async throws {
        try await open().send(text: text)
    }

    /// Sends one binary frame.
    public func send(binary bytes: [UInt8]) async throws {
        try await open().send(binary: bytes)
    }

    /// Sends one text frame whose payload is the given bytes as is (to send invalid UTF-8).
    public func send(textBytes bytes: [UInt8]) async throws {
        try await open().send(textBytes: bytes)
    }

    private func open() throws -> GoldenPathConnection {
        guard let connection, !connection.isClosed else { throw WaitError(description: "not connected") }
        return connection
    }

    // MARK: - Receiving

    /// Every frame received so far, in order.
    public var frames: [Frame] { state.withLock { $0.frames } }

    /// True once the connection has closed.
    public var isClosed: Bool { state.withLock { $0.closed } }

    /// The first frame received (from index `from` on) that satisfies `predicate`, waiting for it if needed.
    /// - Throws: ``WaitError`` when none arrives within the timeout or the connection closes first.
    @discardableResult
    public func awaitFrame(
        from start: Int = 0, timeout: Duration? = nil, _ what: String = "a frame",
        where predicate: @escaping @Sendable (Frame) -> Bool
    ) async throws -> Frame {
        try await waitUntil(what, timeout: timeout ?? self.timeout) { state in
            state.closed || state.frames.dropFirst(start).contains(where: predicate)
        }
        guard let found = frames.dropFirst(start).first(where: predicate) else {
            throw WaitError(description: "connection closed before \(what) arrived; got \(summary())")
        }
        return found
    }

    /// Waits for the terminal frame (`run_completed`, `run_failed`, `run_cancelled`) of a run and returns every
    /// frame of that run received so far, in order.
    /// - Throws: ``WaitError`` on timeout or close.
    @discardableResult
    public func awaitRunEnd(runID: String, timeout: Duration? = nil) async throws -> [Frame] {
        try await awaitFrame(timeout: timeout, "the end of run \(runID)") { frame in
            frame.runID == runID && frame.serverFrame.isTerminal
        }
        return frames.filter { $0.runID == runID }
    }

    /// Waits until the server closes the connection and returns the close code it sent (nil when none).
    /// - Throws: ``WaitError`` on timeout.
    @discardableResult
    public func awaitClose(timeout: Duration? = nil) async throws -> UInt16? {
        try await waitUntil("the connection to close", timeout: timeout ?? self.timeout) { $0.closed }
        return state.withLock { $0.closeCode }
    }

    /// Closes the connection (normal closure) and waits until it is closed.
    ///
    /// When the server does not finish the closing handshake within the client's timeout, the connection is
    /// dropped instead, so that closing never hangs a test.
    public func close() async throws {
        guard let connection else { return }
        await connection.close(timeout: timeout)
        if let collector = collector.withLock({ $0 }) { await collector.value }
    }

    /// The types of the frames received so far, for failure messages.
    public func summary() -> String {
        frames.map { $0.type ?? "?" }.joined(separator: ",")
    }
}
