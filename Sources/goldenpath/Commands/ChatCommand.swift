import Agents
import ArgumentParser
import AsyncHTTPClient
import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// `goldenpath chat`: a terminal client. Logs in (or signs up), sends one message over the WebSocket, prints
/// each event as it arrives, and exits when the run ends: 0 completed, 1 failed or cancelled.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Send one message to a running server and print the run's events as they stream.",
        discussion: "Exit 0 when the run completed, 1 when it failed or was cancelled, 2 on any other error.")

    @Option(help: "The server's base URL, e.g. http://127.0.0.1:8080.")
    var url: String

    @Option(help: "The user name.")
    var user: String

    @Option(help: "The password (default: $GOLDENPATH_PASSWORD).")
    var password: String?

    @Flag(help: "Create the user first.")
    var signup = false

    @Option(help: "Continue this thread instead of starting a new one.")
    var thread: String?

    @Flag(help: "Print each frame as one JSON line.")
    var json = false

    @Argument(help: "The message.")
    var message: String

    func validate() throws {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw ValidationError("--url must start with http:// or https://")
        }
        guard resolvedPassword != nil else { throw ValidationError("give --password or set GOLDENPATH_PASSWORD") }
        guard !message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ValidationError("the message is empty")
        }
    }

    private var resolvedPassword: String? { password ?? ProcessInfo.processInfo.environment["GOLDENPATH_PASSWORD"] }

    private var baseURL: String {
        var base = Substring(url)
        while base.hasSuffix("/") { base = base.dropLast() }
        return String(base)
    }

    func run() async throws {
        var outcome: String?
        try await reportingFailures {
            let token = try await authenticate()
            outcome = try await chat(token: token)
        }
        switch outcome {
        case "run_completed": return
        case "run_failed", "run_cancelled": throw ExitCode(1)
        default:
            FileHandle.standardError.write(Data("goldenpath: the connection closed before the run ended\n".utf8))
            throw ExitCode(2)
        }
    }

    private func authenticate() async throws -> String {
        let body = try JSONSerialization.data(withJSONObject: ["username": user, "password": resolvedPassword ?? ""])
        var request = HTTPClientRequest(url: baseURL + (signup ? "/auth/signup" : "/auth/login"))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: Array(body)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        let answer = (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .null
        guard (200..<300).contains(Int(response.status.code)), let token = answer["token"]?.stringValue else {
            let reason = answer["error"]?["message"]?.stringValue ?? "HTTP \(response.status.code)"
            throw ChatFailure(description: "\(signup ? "sign-up" : "login") failed: \(reason)")
        }
        return token
    }

    /// Connects, sends the message, prints frames until the run's terminal frame; returns its type.
    private func chat(token: String) async throws -> String? {
        let webSocketURL = baseURL.replacingOccurrences(of: "http", with: "ws", options: .anchored) + "/ws"
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        let clientMessageID = UUID().uuidString.lowercased()
        var payload: [String: String] = [
            "type": "user_message", "content": message, "client_message_id": clientMessageID,
        ]
        if let thread { payload["thread_id"] = thread }
        let request = String(decoding: try JSONSerialization.data(withJSONObject: payload), as: UTF8.self)
        let printer = FramePrinter(json: json)
        let result = ChatResult()
        try await WebSocketClient.connect(
            url: webSocketURL,
            configuration: WebSocketClientConfiguration(maxFrameSize: 1 << 22, additionalHeaders: headers),
            logger: Logger(label: "goldenpath.chat")
        ) { inbound, outbound, _ in
            var runID: String?
            for try await incoming in inbound.messages(maxSize: 1 << 24) {
                guard case .text(let text) = incoming else { continue }
                let frame = (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .null
                let type = frame["type"]?.stringValue ?? ""
                printer.print(frame, text: text)
                switch type {
                case "connection_established":
                    try await outbound.write(.text(request))
                case "message_received" where frame["client_message_id"]?.stringValue == clientMessageID:
                    runID = frame["run_id"]?.stringValue
                case "error":
                    let code = frame["code"]?.stringValue ?? "ERROR"
                    result.fail("\(code): \(frame["message"]?.stringValue ?? "")")
                    try await outbound.close(.normalClosure, reason: nil)
                    return
                default:
                    if let runID, frame["run_id"]?.stringValue == runID, AgentEvent.terminalTypes.contains(type) {
                        result.end(type)
                        try await outbound.close(.normalClosure, reason: nil)
                        return
                    }
                }
            }
        }
        if let failure = result.failure { throw ChatFailure(description: failure) }
        return result.terminal
    }
}

/// A chat failure, as one line.
struct ChatFailure: Error, CustomStringConvertible {
    let description: String
}
