import AgentRuntime
import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOWebSocket

/// One simulated user of `bench load`: one WebSocket connection that sends its messages one after another and
/// times each from send to `message_received` (ack) and to the run's terminal frame.
struct LoadUser {
    let port: Int
    let session: GoldenPathClient.Session
    let messages: [String]

    func run() async throws -> LoadUserResult {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(session.token)"
        let userID = session.userID
        let box = LoadResultBox(userID: userID)
        let messages = self.messages
        try await WebSocketClient.connect(
            url: "ws://127.0.0.1:\(port)/ws",
            configuration: WebSocketClientConfiguration(maxFrameSize: 1 << 22, additionalHeaders: headers),
            logger: Logger(label: "goldenpath.load")
        ) { inbound, outbound, _ in
            var frames = inbound.messages(maxSize: 1 << 24).makeAsyncIterator()
            func nextFrame() async throws -> JSONValue? {
                while let message = try await frames.next() {
                    guard case .text(let text) = message else { continue }
                    let frame = (try? JSONValue(parsing: text)) ?? .null
                    if let owner = frame["user_id"]?.stringValue, owner != userID { box.foreign() }
                    return frame
                }
                return nil
            }
            // Wait for the connection to be established before sending.
            while let frame = try await nextFrame(), frame["type"]?.stringValue != "connection_established" {}
            let clock = ContinuousClock()
            for content in messages {
                let clientMessageID = UUID().uuidString.lowercased()
                let request = try JSONSerialization.data(withJSONObject: [
                    "type": "user_message", "content": content, "client_message_id": clientMessageID,
                ])
                let start = clock.now
                try await outbound.write(.text(String(decoding: request, as: UTF8.self)))
                var runID: String?
                var ack: Duration?
                var seqs: [Int64] = []
                while let frame = try await nextFrame() {
                    let type = frame["type"]?.stringValue ?? ""
                    if type == "error" {
                        throw ClientFailure(
                            status: 0, code: frame["code"]?.stringValue,
                            description: "the server refused a load message: \(frame)")
                    }
                    if type == "message_received", frame["client_message_id"]?.stringValue == clientMessageID {
                        runID = frame["run_id"]?.stringValue
                        ack = clock.now - start
                    }
                    guard let runID, frame["run_id"]?.stringValue == runID else { continue }
                    if let seq = frame["seq"]?.intValue { seqs.append(Int64(seq)) }
                    if AgentEvent.terminalTypes.contains(type) {
                        box.record(
                            LoadUserResult.Message(
                                runID: runID, ackMs: (ack ?? .zero).milliseconds,
                                runMs: (clock.now - start).milliseconds,
                                terminalType: type, frameSeqs: seqs))
                        break
                    }
                }
            }
            try await outbound.close(.normalClosure, reason: nil)
        }
        return box.result
    }
}

extension Duration {
    /// The duration in milliseconds, fractional.
    var milliseconds: Double {
        Double(components.seconds) * 1_000 + Double(components.attoseconds) / 1e15
    }
}
