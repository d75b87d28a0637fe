import Foundation
import GoldenPathClient
import Logging

/// One simulated user of `bench load`: one connection that sends its messages one after another and times each
/// from send to `message_received` (ack) and to the run's terminal frame.
struct LoadUser {
    let port: Int
    let session: ChatClient.Session
    let messages: [String]

    /// Sends every message in turn.
    /// - Throws: ``ServerError`` when the server refuses a message; ``GoldenPathClientError`` when the connection
    ///   fails or closes before a run ends.
    func run() async throws -> LoadUserResult {
        let userID = session.userID
        var result = LoadUserResult(userID: userID, messages: [], foreignFrames: 0)
        try await GoldenPathConnection.withConnection(
            url: "ws://127.0.0.1:\(port)/ws", token: session.token, logger: Logger(label: "goldenpath.load")
        ) { connection in
            // Every journal-event frame read, by run; and every frame another user owns.
            var seqs: [(runID: String, seq: Int64)] = []
            let observe = { (frame: ServerFrame) in
                if let owner = frame.userID, owner != userID { result.foreignFrames += 1 }
                if let event = frame.event { seqs.append((event.runID, event.seq)) }
            }
            // Wait for the connection to be established before sending, so that acks time the message only.
            try await connection.awaitEstablished(onFrame: observe)
            let clock = ContinuousClock()
            for content in messages {
                let start = clock.now
                let ack = try await connection.sendMessage(content, onFrame: observe)
                let ackTime = clock.now - start
                let end = try await connection.awaitRunEnd(runID: ack.runID, onFrame: observe)
                result.messages.append(
                    LoadUserResult.Message(
                        runID: ack.runID, ackMs: ackTime.milliseconds, runMs: (clock.now - start).milliseconds,
                        terminal: end.kind, frameSeqs: seqs.filter { $0.runID == ack.runID }.map(\.seq)))
            }
        }
        return result
    }
}

extension Duration {
    /// The duration in milliseconds, fractional.
    var milliseconds: Double {
        Double(components.seconds) * 1_000 + Double(components.attoseconds) / 1e15
    }
}
