import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOCore
import NIOWebSocket
import Synchronization

/// A client's WebSocket connection to a GoldenPath server (`ws://host:port/ws`): connects with a token, sends
/// ``ClientFrame``s, and receives every ``ServerFrame`` in order.
///
/// ```swift
/// try await GoldenPathConnection.withConnection(url: "ws://127.0.0.1:8080/ws", token: token) { connection in
///     _ = try await connection.awaitEstablished()
///     let ack = try await connection.sendMessage("How can we cut our GPU bill?")
///     let end = try await connection.awaitRunEnd(runID: ack.runID) { frame in print(frame.type ?? "?") }
///     print(end.finalResponse ?? "")
/// }
/// ```
///
/// Frames are read one at a time, in order, through ``frames`` or ``next()`` — and the helpers
/// (``awaitEstablished(onFrame:)``, ``sendMessage(_:threadID:clientMessageID:onFrame:)``,
/// ``awaitRunEnd(runID:onFrame:)``), which read through the same queue and hand every frame they pass over to
/// their `onFrame`. Each frame is read once. Frames the caller has not read yet are buffered without bound: read
/// them, or close the connection.
///
/// The socket runs in a task the connection owns: ``close(timeout:)`` ends it and waits for it, and a connection
/// that is released without being closed cancels it.
public final class GoldenPathConnection: Sendable {
    let core: ConnectionCore
    private let runTask: Task<Void, Never>
    /// The URL connected to.
    public let url: String
    /// The configuration the connection was made with.
    public let configuration: Configuration
    private let logger: Logger

    private init(
        core: ConnectionCore, runTask: Task<Void, Never>, url: String, configuration: Configuration, logger: Logger
    ) {
        self.core = core
        self.runTask = runTask
        self.url = url
        self.configuration = configuration
        self.logger = logger
    }

    deinit {
        runTask.cancel()
    }

    /// Connects to `url` (`ws://host:port/ws` or `wss://…`), presenting `token` (none when nil), and returns once
    /// the socket is open. The first frame is then `connection_established`, or — when the server refuses the
    /// token or the connection — an `error` frame followed by the close.
    /// - Throws: ``GoldenPathClientError`` — ``GoldenPathClientError/Code/connectFailed`` (with the cause) when the
    ///   socket could not be opened, ``GoldenPathClientError/Code/connectTimedOut``; `CancellationError`.
    public static func connect(
        url: String, token: String?, transport: TokenTransport = .header,
        configuration: Configuration = Configuration(), logger: Logger = Logger(label: "goldenpath.client")
    ) async throws -> GoldenPathConnection {
        var headers = HTTPFields()
        if let token {
            switch transport {
            case .header: headers[.authorization] = "Bearer \(token)"
            case .subprotocol: headers[.secWebSocketProtocol] = "jwt.\(token)"
            }
        }
        let core = ConnectionCore()
        let maxMessageSize = configuration.maxMessageSize
        let client = WebSocketClient(
            url: url,
            configuration: WebSocketClientConfiguration(
                maxFrameSize: configuration.maxFrameSize, additionalHeaders: headers),
            logger: logger
        ) { inbound, outbound, _ in
            core.opened(writer: outbound)
            for try await message in inbound.messages(maxSize: maxMessageSize) {
                switch message {
                case .text(let text): core.received(frame(text, logger: logger))
                case .binary: logger.debug("ignoring a binary frame from the server")
                }
            }
        }
        let runTask = Task {
            do {
                let close = try await client.run()
                core.ended(
                    .closed(
                        ConnectionClosure(
                            code: close.map { UInt16(webSocketErrorCode: $0.closeCode) }, reason: close?.reason)))
            } catch {
                core.ended(.failed(error))
            }
        }
        let connection = GoldenPathConnection(
            core: core, runTask: runTask, url: url, configuration: configuration, logger: logger)
        try await connection.awaitOpen(timeout: configuration.connectTimeout)
        return connection
    }

    /// Connects to `ws://<host>:<port>/ws`. See ``connect(url:token:transport:configuration:logger:)``.
    /// - Throws: as ``connect(url:token:transport:configuration:logger:)``.
    public static func connect(
        host: String = "127.0.0.1", port: Int, token: String?, transport: TokenTransport = .header,
        configuration: Configuration = Configuration(), logger: Logger = Logger(label: "goldenpath.client")
    ) async throws -> GoldenPathConnection {
        try await connect(
            url: "ws://\(host):\(port)/ws", token: token, transport: transport, configuration: configuration,
            logger: logger)
    }

    /// A received text frame; text that is not a JSON object becomes an ``ServerFrame/unknown(_:)`` frame with no
    /// fields, so that nothing the server sends is lost.
    private static func frame(_ text: String, logger: Logger) -> ServerFrame {
        do {
            return try ServerFrame(parsing: text)
        } catch {
            logger.warning("the server sent a frame that is not a JSON object", metadata: ["error": "\(error)"])
            return .unknown(FrameObject(fields: [:], text: text))
        }
    }

    /// Waits until the socket opens; when it ends first or the deadline passes, ends it and throws.
    private func awaitOpen(timeout: Duration) async throws {
        let core = self.core
        let opened = await withTaskGroup(of: Bool?.self) { group in
            group.addTask { try? await core.awaitOpenOrEnd() }
            group.addTask {
                try? await Task.sleep(for: timeout)  // a deadline, never a wait for a result
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        if opened == true { return }
        runTask.cancel()
        await runTask.value
        try Task.checkCancellation()
        switch core.ending {
        case .failed(let error)?:
            throw GoldenPathClientError(code: .connectFailed, message: "cannot connect to \(url)", cause: error)
        case .closed?:
            throw GoldenPathClientError(code: .connectFailed, message: "\(url) closed the connection before it opened")
        case nil:
            throw GoldenPathClientError(code: .connectTimedOut, message: "\(url) did not open within \(timeout)")
        }
    }

    // MARK: - Sending

    /// Sends one frame.
    /// - Throws: ``GoldenPathClientError`` (``GoldenPathClientError/Code/sendFailed``) when the connection is not
    ///   open or the write fails.
    public func send(_ frame: ClientFrame) async throws {
        try await write(.text(frame.text))
    }

    /// Sends one text frame as is — for frames this vocabulary does not have, or that the server must refuse.
    /// - Throws: ``GoldenPathClientError`` (``GoldenPathClientError/Code/sendFailed``).
    public func send(text: String) async throws {
        try await write(.text(text))
    }

    /// Sends one binary frame (the server refuses them: a test of its refusal).
    /// - Throws: ``GoldenPathClientError`` (``GoldenPathClientError/Code/sendFailed``).
    public func send(binary bytes: [UInt8]) async throws {
        try await write(.binary(ByteBuffer(bytes: bytes)))
    }

    /// Sends one text frame whose payload is these bytes as is, even when they are not UTF-8 (a test of the
    /// server's refusal).
    /// - Throws: ``GoldenPathClientError`` (``GoldenPathClientError/Code/sendFailed``).
    public func send(textBytes bytes: [UInt8]) async throws {
        try await write(.custom(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(bytes: bytes))))
    }

    private func write(_ frame: WebSocketOutboundWriter.OutboundFrame) async throws {
        guard let writer = core.writer else {
            throw GoldenPathClientError(code: .sendFailed, message: "the connection is not open")
        }
        do {
            try await writer.write(frame)
        } catch {
            throw GoldenPathClientError(code: .sendFailed, message: "cannot send a frame", cause: error)
        }
    }

    // MARK: - Ending

    /// True once the connection has ended (frames received before may still be unread).
    public var isClosed: Bool { core.ending != nil }

    /// Closes the connection (normal closure) and waits until it has ended. When the server does not finish the
    /// close handshake within `timeout` (by default the configuration's), the connection is dropped instead, so
    /// that closing never hangs. Frames received before the close can still be read.
    public func close(timeout: Duration? = nil) async {
        if let writer = core.writer {
            do {
                try await writer.close(.normalClosure, reason: nil)
            } catch {
                // The socket is already going away: waiting for its end below is all there is to do.
                logger.debug("closing a connection that is already closing", metadata: ["error": "\(error)"])
            }
        }
        let core = self.core
        let deadline = timeout ?? configuration.closeTimeout
        await withTaskGroup(of: Void.self) { group in
            group.addTask { _ = try? await core.awaitEnding() }
            group.addTask { _ = try? await Task.sleep(for: deadline) }  // a deadline, never a wait for a result
            await group.next()
            group.cancelAll()
        }
        runTask.cancel()
        await runTask.value
    }

    /// Waits until the connection has ended, and says how.
    /// - Throws: the client's error when the connection failed (a protocol error, a dropped socket, …);
    ///   `CancellationError`.
    public func closure() async throws -> ConnectionClosure {
        switch try await core.awaitEnding() {
        case .closed(let closure): return closure
        case .failed(let error): throw error
        }
    }
}
