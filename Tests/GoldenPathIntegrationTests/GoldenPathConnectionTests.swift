import Foundation
import Gateway
import GoldenPathClient
import GoldenPathTesting
import Testing

/// GoldenPathClient's connection against a live server: the helpers the CLI uses, both token transports, refusals
/// as typed errors, and frames that keep arriving in order through one queue.
@Suite("GoldenPath connection", .timeLimit(.minutes(5)))
struct GoldenPathConnectionTests {
    @Test("connect, send a message, read its run to run_completed; the helpers hand over every frame in order")
    func messageToRunEnd() async throws {
        try await withLiveServer { server in
            let user = try await server.signUp(username: "conn-\(UUID().uuidString.prefix(8))")
            try await GoldenPathConnection.withConnection(url: "ws://127.0.0.1:\(server.port)/ws", token: user.token) {
                connection in
                var seen: [ServerFrame] = []
                let established = try await connection.awaitEstablished { seen.append($0) }
                #expect(established.userID == user.userID)
                let ack = try await connection.sendMessage(
                    "Our cloud bill is $12,000 a month for 40 servers. How can we cut the cost?",
                    clientMessageID: "conn-m1"
                ) { seen.append($0) }
                #expect(ack.clientMessageID == "conn-m1" && ack.userID == user.userID)
                let end = try await connection.awaitRunEnd(runID: ack.runID) { seen.append($0) }
                guard case .runCompleted(let completed) = end else {
                    Issue.record("the run ended \(end)")
                    return
                }
                #expect(completed.finalResponse?.isEmpty == false && completed.degraded == false)
                #expect(seen.first?.kind == .connectionEstablished && seen.last == end)
                let seqs = seen.compactMap(\.seq)
                #expect(seqs == seqs.sorted() && Set(seqs).count == seqs.count)
                #expect(seen.contains { $0.kind == .agentStarted && $0.agentName == "supervisor" })
                #expect(seen.allSatisfy { $0.kind != nil }, "every frame of a run is in the vocabulary")

                // A repeated client_message_id is acknowledged with the same run.
                let again = try await connection.sendMessage("again", clientMessageID: "conn-m1")
                #expect(again.runID == ack.runID && again.seq == ack.seq)

                try await connection.send(.ping)
                let pong = try await connection.next()
                #expect(pong?.kind == .pong && pong?.timestamp != nil)
            }
        }
    }

    @Test("the jwt.<token> subprotocol authenticates too; a refused message is a ServerError")
    func subprotocolAndRefusal() async throws {
        try await withLiveServer { server in
            let user = try await server.signUp(username: "conn-\(UUID().uuidString.prefix(8))")
            let connection = try await GoldenPathConnection.connect(
                port: server.port, token: user.token, transport: .subprotocol)
            try await connection.awaitEstablished()
            let error = await #expect(throws: ServerError.self) {
                try await connection.sendMessage("hello", threadID: "no-such-thread")
            }
            #expect(error?.code == "THREAD_NOT_FOUND")
            try await connection.send(text: "{not json")
            let refusal = try await connection.next()
            #expect(refusal?.errorCode == "INVALID_JSON")
            await connection.close()
            #expect(connection.isClosed)
            #expect(try await connection.closure().code == 1000)
            await #expect(throws: GoldenPathClientError.self) { try await connection.send(.ping) }
        }
    }

    @Test("a bad token: awaitEstablished throws AUTH_FAILED and the server closes with 1008")
    func badToken() async throws {
        try await withLiveServer { server in
            let connection = try await GoldenPathConnection.connect(port: server.port, token: "not-a-token")
            let error = await #expect(throws: ServerError.self) { try await connection.awaitEstablished() }
            #expect(error?.code == "AUTH_FAILED")
            #expect(try await connection.closure().code == 1008)
            #expect(try await connection.next() == nil, "the frames end with the connection")
            await connection.close()
        }
    }

    @Test("nothing listening: connect fails with connectFailed and the cause")
    func nothingListening() async throws {
        let port = try await withLiveServer { server in server.port }
        let error = await #expect(throws: GoldenPathClientError.self) {
            _ = try await GoldenPathConnection.connect(port: port, token: nil)
        }
        #expect(error?.code == .connectFailed && error?.cause != nil)
    }
}
