import AgentRuntime
import AsyncHTTPClient
import Foundation
import GoldenPathClient
import Logging
import NIOCore
import NIOHTTP1

/// The command line's client of a GoldenPath server: HTTP sign-up and login, then one message over a
/// ``GoldenPathConnection``, handing every frame to the caller until the run's terminal frame. Used by `chat`,
/// `demo` and `bench load`.
struct ChatClient {
    /// A signed-in user.
    struct Session: Sendable {
        var token: String
        var userID: String
        /// True when the account was created by this call.
        var signedUp: Bool
    }

    /// How a message's run ended, as the client saw it.
    struct Outcome: Sendable {
        /// The run, once `message_received` named it.
        var runID: String?
        /// `run_completed`, `run_failed`, `run_cancelled`; nil when the server refused the message or the
        /// connection closed first.
        var terminal: ServerFrame.Kind?
        /// Every frame received, in order.
        var frames: [ServerFrame]
    }

    let baseURL: String
    let http: HTTPClient

    init(baseURL: String, http: HTTPClient) {
        var base = Substring(baseURL)
        while base.hasSuffix("/") { base = base.dropLast() }
        self.baseURL = String(base)
        self.http = http
    }

    /// The server's WebSocket endpoint: `ws://…/ws` for `http://…`, `wss://…/ws` for `https://…`.
    var webSocketURL: String {
        baseURL.replacingOccurrences(of: "http", with: "ws", options: .anchored) + "/ws"
    }

    /// Signs up (`signUp`) or logs in.
    /// - Throws: ``ClientFailure`` with the server's error code and message.
    func authenticate(username: String, password: String, signUp: Bool) async throws -> Session {
        let (status, answer) = try await post(
            signUp ? "/auth/signup" : "/auth/login",
            ["username": username, "password": password])
        guard (200..<300).contains(status), let token = answer["token"]?.stringValue,
            let userID = answer["user_id"]?.stringValue
        else {
            throw ClientFailure(
                status: status, code: answer["error"]?["code"]?.stringValue,
                description: "\(signUp ? "sign-up" : "login") of \(username) failed: "
                    + (answer["error"]?["message"]?.stringValue ?? "HTTP \(status)"))
        }
        return Session(token: token, userID: userID, signedUp: signUp)
    }

    /// Signs up, or logs in when the name is taken (409).
    func signUpOrLogIn(username: String, password: String) async throws -> Session {
        do {
            return try await authenticate(username: username, password: password, signUp: true)
        } catch let failure as ClientFailure where failure.status == 409 {
            return try await authenticate(username: username, password: password, signUp: false)
        }
    }

    /// Connects, waits for `connection_established`, sends one `user_message`, and hands each frame to `onFrame`
    /// until the run ends. A refusal (an `error` frame before `message_received`) or a connection that closes
    /// before the run ends is not an error here: the outcome says so.
    /// - Throws: ``GoldenPathClientError`` when the connection cannot be opened or a frame cannot be sent.
    func send(
        _ message: String, token: String, threadID: String? = nil,
        clientMessageID: String = UUID().uuidString.lowercased(),
        onFrame: (ServerFrame) -> Void
    ) async throws -> Outcome {
        var outcome = Outcome(runID: nil, terminal: nil, frames: [])
        try await GoldenPathConnection.withConnection(
            url: webSocketURL, token: token, logger: Logger(label: "goldenpath.client")
        ) { connection in
            let observe = { (frame: ServerFrame) in
                outcome.frames.append(frame)
                onFrame(frame)
            }
            do {
                try await connection.awaitEstablished(onFrame: observe)
                let ack = try await connection.sendMessage(
                    message, threadID: threadID, clientMessageID: clientMessageID, onFrame: observe)
                outcome.runID = ack.runID
                outcome.terminal = try await connection.awaitRunEnd(runID: ack.runID, onFrame: observe).kind
            } catch is ServerError {
                // Refused: the error frame is the outcome's.
            } catch let error as GoldenPathClientError where error.code == .closed {
                // Closed before the run ended: the outcome has no terminal frame.
            }
        }
        return outcome
    }

    private func post(_ path: String, _ body: [String: String]) async throws -> (Int, JSONValue) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: Array(try JSONSerialization.data(withJSONObject: body))))
        let response = try await http.execute(request, timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        let answer = (try? JSONValue(parsing: text)) ?? .null
        return (Int(response.status.code), answer)
    }
}
