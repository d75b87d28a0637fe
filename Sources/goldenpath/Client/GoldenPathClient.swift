import AgentRuntime
import AsyncHTTPClient
import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// The command line's client of a GoldenPath server: HTTP sign-up and login, then one message over the
/// WebSocket, handing every frame to the caller until the run's terminal frame. Used by `chat` and `demo`.
struct GoldenPathClient {
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
        /// `run_completed`, `run_failed`, `run_cancelled`; nil when the connection closed first.
        var terminalType: String?
        /// Every frame received, in order.
        var frames: [JSONValue]
    }

    let baseURL: String
    let http: HTTPClient

    init(baseURL: String, http: HTTPClient) {
        var base = Substring(baseURL)
        while base.hasSuffix("/") { base = base.dropLast() }
        self.baseURL = String(base)
        self.http = http
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

    /// Connects, sends one `user_message`, and hands each frame to `onFrame` until the run ends or the server
    /// answers the message with an `error` frame.
    func send(
        _ message: String, token: String, threadID: String? = nil,
        clientMessageID: String = UUID().uuidString.lowercased(),
        onFrame: @escaping @Sendable (JSONValue, String) -> Void
    ) async throws -> Outcome {
        let webSocketURL = baseURL.replacingOccurrences(of: "http", with: "ws", options: .anchored) + "/ws"
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        var payload: [String: String] = [
            "type": "user_message", "content": message, "client_message_id": clientMessageID,
        ]
        if let threadID { payload["thread_id"] = threadID }
        let request = String(decoding: try JSONSerialization.data(withJSONObject: payload), as: UTF8.self)
        let collected = OutcomeBox()
        try await WebSocketClient.connect(
            url: webSocketURL,
            configuration: WebSocketClientConfiguration(maxFrameSize: 1 << 22, additionalHeaders: headers),
            logger: Logger(label: "goldenpath.client")
        ) { inbound, outbound, _ in
            var runID: String?
            for try await incoming in inbound.messages(maxSize: 1 << 24) {
                guard case .text(let text) = incoming else { continue }
                let frame = (try? JSONValue(parsing: text)) ?? .null
                collected.append(frame)
                onFrame(frame, text)
                let type = frame["type"]?.stringValue ?? ""
                switch type {
                case "connection_established":
                    try await outbound.write(.text(request))
                case "message_received" where frame["client_message_id"]?.stringValue == clientMessageID:
                    runID = frame["run_id"]?.stringValue
                    collected.setRun(runID)
                case "error" where runID == nil:
                    try await outbound.close(.normalClosure, reason: nil)
                    return
                default:
                    if let runID, frame["run_id"]?.stringValue == runID, AgentEvent.terminalTypes.contains(type) {
                        collected.end(type)
                        try await outbound.close(.normalClosure, reason: nil)
                        return
                    }
                }
            }
        }
        return collected.outcome
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

/// A request the server refused, as one line.
struct ClientFailure: Error, CustomStringConvertible {
    var status: Int
    var code: String?
    var description: String
}
