import Foundation
import Logging

extension GoldenPathConnection {
    /// Connects, runs `body` with the connection, and closes it — also when `body` throws.
    /// - Throws: what ``connect(url:token:transport:configuration:logger:)`` or `body` throws.
    public static func withConnection<Result: Sendable>(
        url: String, token: String?, transport: TokenTransport = .header,
        configuration: Configuration = Configuration(), logger: Logger = Logger(label: "goldenpath.client"),
        _ body: (GoldenPathConnection) async throws -> Result
    ) async throws -> Result {
        let connection = try await connect(
            url: url, token: token, transport: transport, configuration: configuration, logger: logger)
        do {
            let result = try await body(connection)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }

    /// Reads frames until `connection_established`, handing each (that one included) to `onFrame`.
    /// - Throws: ``ServerError`` when the server refuses the connection (`AUTH_FAILED`, `TOO_MANY_CONNECTIONS`,
    ///   `JOURNAL_UNAVAILABLE`); ``GoldenPathClientError`` (``GoldenPathClientError/Code/closed``) when the
    ///   connection ends first; `CancellationError`.
    @discardableResult
    public func awaitEstablished(onFrame: (ServerFrame) -> Void = { _ in }) async throws -> ConnectionEstablished {
        try await read("connection_established", onFrame: onFrame) { frame in
            switch frame {
            case .connectionEstablished(let established): return .success(established)
            case .error(let error): return .failure(error)
            default: return nil
            }
        }
    }

    /// Sends a `user_message` and reads frames until the server acknowledges it with its `message_received`,
    /// handing each frame (that one included) to `onFrame`. Returns the acknowledgement: its ``EventFrame/runID``
    /// names the run.
    ///
    /// An `error` frame before the acknowledgement is taken as the answer to the message (the server answers a
    /// connection's requests in order): do not have other requests in flight meanwhile.
    /// - Parameters:
    ///   - clientMessageID: the message's idempotency key; a fresh UUID by default. Sending the same one again
    ///     starts no second run and is acknowledged with the first run.
    /// - Throws: ``ServerError`` when the server refuses the message (`RATE_LIMITED`, `THREAD_NOT_FOUND`, …);
    ///   ``GoldenPathClientError`` (``GoldenPathClientError/Code/sendFailed``, ``GoldenPathClientError/Code/closed``);
    ///   `CancellationError`.
    @discardableResult
    public func sendMessage(
        _ content: String, threadID: String? = nil, clientMessageID: String = UUID().uuidString.lowercased(),
        onFrame: (ServerFrame) -> Void = { _ in }
    ) async throws -> EventFrame {
        try await send(.userMessage(content: content, threadID: threadID, clientMessageID: clientMessageID))
        return try await read("message_received for \(clientMessageID)", onFrame: onFrame) { frame in
            switch frame {
            case .messageReceived(let ack) where ack.clientMessageID == clientMessageID: return .success(ack)
            case .error(let error): return .failure(error)
            default: return nil
            }
        }
    }

    /// Reads frames until the terminal frame of run `runID` (`run_completed`, `run_failed` or `run_cancelled`),
    /// handing each (that one included) to `onFrame`, and returns it. Use ``ServerFrame/kind`` of the frame
    /// `onFrame` saw last, or ``EventFrame/status``, to tell how the run ended.
    /// - Throws: ``GoldenPathClientError`` (``GoldenPathClientError/Code/closed``) when the connection ends
    ///   first; `CancellationError`.
    @discardableResult
    public func awaitRunEnd(runID: String, onFrame: (ServerFrame) -> Void = { _ in }) async throws -> ServerFrame {
        try await read("the end of run \(runID)", onFrame: onFrame) { frame in
            frame.isTerminal && frame.runID == runID ? .success(frame) : nil
        }
    }

    /// Reads frames until `match` decides; every frame read goes to `onFrame` first.
    private func read<Found>(
        _ what: String, onFrame: (ServerFrame) -> Void, until match: (ServerFrame) -> Swift.Result<Found, ServerError>?
    ) async throws -> Found {
        while true {
            let frame: ServerFrame?
            do {
                frame = try await next()
            } catch let error as CancellationError {
                throw error
            } catch {
                throw GoldenPathClientError(
                    code: .closed, message: "the connection failed before \(what) arrived", cause: error)
            }
            guard let frame else {
                throw GoldenPathClientError(code: .closed, message: "the connection closed before \(what) arrived")
            }
            onFrame(frame)
            if let decided = match(frame) { return try decided.get() }
        }
    }
}
