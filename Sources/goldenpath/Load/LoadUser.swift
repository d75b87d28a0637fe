import Foundation
import GoldenPathClient
import Logging

/// One simulated user of `bench load`: one connection that sends its messages one after another and times each
/// from send to `message_received` (ack) and to the run's terminal frame, noting when the run's first
/// `agent_response_delta` frame arrived.
struct LoadUser {
    /// One message to send: its text and its tag (``FirstPieceRecorder/tag(in:)``).
    struct Message: Sendable {
        var content: String
        var tag: String
    }

    let port: Int
    let session: ChatClient.Session
    let messages: [Message]

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
            // When each run's first delta frame (`chunk_index` 0 of its first response) was read.
            var firstDeltas: [String: ContinuousClock.Instant] = [:]
            let clock = ContinuousClock()
            let observe = { (frame: ServerFrame) in
                if case .agentResponseDelta(let delta) = frame, delta.chunkIndex == 0, firstDeltas[delta.runID] == nil {
                    firstDeltas[delta.runID] = clock.now
                }
                if let owner = frame.userID, owner != userID { result.foreignFrames += 1 }
                if let event = frame.event { seqs.append((event.runID, event.seq)) }
            }
            // Wait for the connection to be established before sending, so that acks time the message only.
            try await connection.awaitEstablished(onFrame: observe)
            for message in messages {
                let start = clock.now
                let ack = try await connection.sendMessage(message.content, onFrame: observe)
                let ackTime = clock.now - start
                let end = try await connection.awaitRunEnd(runID: ack.runID, onFrame: observe)
                result.messages.append(
                    LoadUserResult.Message(
                        runID: ack.runID, tag: message.tag, ackMs: ackTime.milliseconds,
                        runMs: (clock.now - start).milliseconds, terminal: end.kind,
                        frameSeqs: seqs.filter { $0.runID == ack.runID }.map(\.seq),
                        firstDeltaAt: firstDeltas[ack.runID]))
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
