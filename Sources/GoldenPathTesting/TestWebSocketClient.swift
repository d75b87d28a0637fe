import AgentRuntime
import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOCore
import NIOWebSocket
import Synchronization

/// A real WebSocket client for tests (HummingbirdWSClient): connects with a token, sends JSON, and collects
/// every frame the server sends, in order. Awaits never sleep: they wake on each frame, and fail with
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
        var writer: WebSocketOutboundWriter?
        var connected = false
        var closed = false
        var closeCode: UInt16?
        var closeError: String?
        var waiters: [UInt64: CheckedContinuation<Bool, Never>] = [:]
        var cancelled: Set<UInt64> = []
        var nextWaiter: UInt64 = 0
        var subprotocol: String?
    }

    let state = Mutex(State())
    private let runTask = Mutex<Task<Void, Never>?>(nil)
    /// The default time an await may take before it fails the test.
    public let timeout: Duration

    private init(timeout: Duration) {
        self.timeout = timeout
    }

    /// Connects to `ws://127.0.0.1:<port>/ws`, presenting `token` (none when nil), and waits until the
    /// connection is open (or closed by the server straight away, as after a failed authentication).
    /// - Throws: ``WaitError`` when the connection neither opens nor closes within `timeout`.
    public static func connect(
        port: Int, token: String?, transport: TokenTransport = .header, host: String = "127.0.0.1",
        timeout: Duration = .seconds(30), logger: Logger = Logger(label: "goldenpath.test-client")
    ) async throws -> TestWebSocketClient {
        let client = TestWebSocketClient(timeout: timeout)
        var headers = HTTPFields()
        if let token {
            switch transport {
            case .header: headers[.authorization] = "Bearer \(token)"
            case .subprotocol: headers[.secWebSocketProtocol] = "jwt.\(token)"
            }
        }
        let webSocket = WebSocketClient(
            url: "ws://\(host):\(port)/ws",
            configuration: WebSocketClientConfiguration(maxFrameSize: 1 << 22, additionalHeaders: headers),
            logger: logger
        ) { inbound, outbound, _ in
            client.opened(writer: outbound)
            for try await message in inbound.messages(maxSize: 1 << 24) {
                if case .text(let text) = message { client.received(Frame(text: text)) }
            }
        }
        // Held and awaited by close(): the connection lives as long as the client object is in use.
        let task = Task {
            do {
                let closeFrame = try await webSocket.run()
                client.finished(code: closeFrame.map { UInt16(webSocketErrorCode: $0.closeCode) }, error: nil)
            } catch {
                client.finished(code: nil, error: "\(error)")
            }
        }
        client.runTask.withLock { $0 = task }
        try await client.waitUntil("the connection to open", timeout: timeout) { $0.connected || $0.closed }
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
        guard let writer = state.withLock({ $0.writer }) else { throw WaitError(description: "not connected") }
        try await writer.write(.text(text))
    }

    /// Sends one binary frame.
    public func send(binary bytes: [UInt8]) async throws {
        guard let writer = state.withLock({ $0.writer }) else { throw WaitError(description: "not connected") }
        try await writer.write(.binary(ByteBuffer(bytes: bytes)))
    }

    /// Sends one text frame whose payload is the given bytes as is (to send invalid UTF-8).
    public func send(textBytes bytes: [UInt8]) async throws {
        guard let writer = state.withLock({ $0.writer }) else { throw WaitError(description: "not connected") }
        try await writer.write(.custom(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(bytes: bytes))))
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
            frame.runID == runID && AgentEvent.terminalTypes.contains(frame.type ?? "")
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
        if let writer = state.withLock({ $0.closed ? nil : $0.writer }) {
            try? await writer.close(.normalClosure, reason: nil)
        }
        guard let task = runTask.withLock({ $0 }) else { return }
        try? await waitUntil("the connection to close", timeout: timeout) { $0.closed }
        task.cancel()
        await task.value
    }

    /// The types of the frames received so far, for failure messages.
    public func summary() -> String {
        frames.map { $0.type ?? "?" }.joined(separator: ",")
    }
}
