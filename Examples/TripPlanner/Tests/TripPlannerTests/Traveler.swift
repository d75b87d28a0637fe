import Foundation
import GoldenPathTesting
import Testing

/// A signed-up user with one open connection (past `connection_established`).
struct Traveler: Sendable {
    let userID: String
    let token: String
    let client: TestWebSocketClient
    let connectionID: String

    /// Signs a fresh user up on `server` and connects it.
    static func make(_ server: LiveServer, _ prefix: String) async throws -> Traveler {
        let issued = try await server.signUp(username: "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())")
        let client = try await server.connect(token: issued.token)
        let established = try await client.awaitFrame("connection_established") {
            $0.type == "connection_established"
        }
        return Traveler(
            userID: issued.userID, token: issued.token, client: client,
            connectionID: try #require(established["connection_id"]?.stringValue))
    }

    /// Sends a `user_message` and waits for its `message_received`; returns the run id.
    func send(_ content: String) async throws -> String {
        let messageID = UUID().uuidString
        try await client.send(["type": "user_message", "client_message_id": messageID, "content": content])
        let received = try await client.awaitFrame("message_received of \(messageID)") {
            $0.type == "message_received" && $0["client_message_id"]?.stringValue == messageID
        }
        return try #require(received.runID)
    }
}
