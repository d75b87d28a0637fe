import ArgumentParser
import AsyncHTTPClient
import Foundation
import GoldenPathClient

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

    func run() async throws {
        var outcome: ChatClient.Outcome?
        try await reportingFailures {
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                outcome = try await chat(http: http)
                try await http.shutdown()
            } catch {
                try? await http.shutdown()
                throw error
            }
        }
        switch outcome?.terminal {
        case .runCompleted?: return
        case .runFailed?, .runCancelled?: throw ExitCode(1)
        default:
            StandardOutput.writeError("goldenpath: the connection closed before the run ended")
            throw ExitCode(2)
        }
    }

    /// Logs in (or signs up), sends the message, prints every frame until the run ends.
    private func chat(http: HTTPClient) async throws -> ChatClient.Outcome {
        let client = ChatClient(baseURL: url, http: http)
        let session = try await client.authenticate(username: user, password: resolvedPassword ?? "", signUp: signup)
        var printer = FramePrinter(json: json)
        let outcome = try await client.send(message, token: session.token, threadID: thread) { frame in
            printer.print(frame)
        }
        if outcome.runID == nil, let refusal = outcome.frames.lazy.compactMap(Self.refusal).first {
            throw ChatFailure(description: "\(refusal.code): \(refusal.message)")
        }
        return outcome
    }

    private static func refusal(_ frame: ServerFrame) -> ServerError? {
        if case .error(let error) = frame { return error }
        return nil
    }
}

/// A chat failure, as one line.
struct ChatFailure: Error, CustomStringConvertible {
    let description: String
}
