import AgentRuntime
import Foundation
import GRDB
import Gateway
import GoldenPathTesting
import Journal
import StandardPipeline
import Testing

/// Hostile input over the real socket and HTTP, beyond what the acceptance suite covers (invalid JSON, arrays,
/// unknown types, blank and oversized content, 64 KiB frames, binary frames, invalid UTF-8, forged and alg:none
/// tokens, rate and run limits, the 11th connection, token expiry on an open socket, a client that stops reading
/// are in GoldenPathAcceptanceTests). Every refusal is an `error` frame (or the documented close), and is
/// journaled as `input_rejected`.
@Suite("Hostile input", .timeLimit(.minutes(5)))
struct HostileInputTests {
    /// Sends raw text and returns the `error` frame that answers it.
    func rejection(_ client: TestWebSocketClient, _ text: String) async throws -> TestWebSocketClient.Frame {
        let start = client.frames.count
        try await client.send(text: text)
        return try await client.awaitFrame(from: start, "error for \(text.prefix(40))") { $0.type == "error" }
    }

    /// Checks the connection still answers.
    func expectAlive(_ client: TestWebSocketClient) async throws {
        let start = client.frames.count
        try await client.send(["type": "ping"])
        try await client.awaitFrame(from: start, "pong") { $0.type == "pong" }
    }

    @Test("JSON values that are not objects, missing and mistyped fields: the right code, the socket stays open")
    func wrongShapes() async throws {
        try await withLiveServer { server in
            let (_, client) = try await signedInClient(server, "shapes")
            let cases: [(String, String)] = [
                ("42", "INVALID_JSON"), ("\"user_message\"", "INVALID_JSON"), ("null", "INVALID_JSON"),
                ("true", "INVALID_JSON"), ("", "INVALID_JSON"), ("{}", "INVALID_FIELD"),
                (#"{"content":"no type"}"#, "INVALID_FIELD"),
                (#"{"type":"user_message"}"#, "EMPTY_MESSAGE"),
                (#"{"type":"user_message","content":null}"#, "EMPTY_MESSAGE"),
                (#"{"type":"user_message","content":""}"#, "EMPTY_MESSAGE"),
                (#"{"type":"user_message","content":"\n\t  "}"#, "EMPTY_MESSAGE"),
                (#"{"type":"user_message","content":{"text":"hi"}}"#, "INVALID_FIELD"),
                (#"{"type":"user_message","content":["hi"]}"#, "INVALID_FIELD"),
                (#"{"type":"user_message","content":true}"#, "INVALID_FIELD"),
                (#"{"type":"user_message","content":"hi","thread_id":7}"#, "INVALID_FIELD"),
                (#"{"type":"user_message","content":"hi","thread_id":""}"#, "INVALID_FIELD"),
                (#"{"type":"user_message","content":"hi","client_message_id":"\#(String(repeating: "c", count: 201))"}"#,
                 "INVALID_FIELD"),
                (#"{"type":"resume","after_seq":-1}"#, "INVALID_FIELD"),
                (#"{"type":"resume","after_seq":1.5}"#, "INVALID_FIELD"),
                (#"{"type":"resume","after_seq":1e300}"#, "INVALID_FIELD"),
                (#"{"type":"resume"}"#, "INVALID_FIELD"),
                (#"{"type":"stop_agent"}"#, "INVALID_FIELD"),
                (#"{"type":"get_thread_history","thread_id":["x"]}"#, "INVALID_FIELD"),
                (#"{"type":"USER_MESSAGE","content":"hi"}"#, "UNKNOWN_TYPE"),
                (#"{"type":"user_message\u0000","content":"hi"}"#, "UNKNOWN_TYPE"),
            ]
            for (text, expected) in cases {
                let error = try await rejection(client, text)
                #expect(error.code == expected, "\(text.prefix(60)) answered \(error.code ?? "nil")")
                #expect(error["message"]?.stringValue?.isEmpty == false)
            }
            #expect(try await rejection(client, #"{"type":"stop_agent","run_id":"nope"}"#).code == "RUN_NOT_FOUND")
            try await expectAlive(client)
            // Repeats of a code within the minute are counted, whatever came between, and written when the
            // connection closes (its connection_closed follows them).
            try await client.close()
            try await JournalAssertions(server.journal).awaitEvent(.all) { $0.type == "connection_closed" }
            let rejected = try await count(
                server.journal,
                "SELECT SUM(json_extract(payload, '$.repeat_count')) FROM events WHERE type = 'input_rejected'")
            #expect(rejected == cases.count + 1)
            // The five INVALID_JSON in a row: one record, then one carrying the four repeats — not five rows.
            let invalidJSON = try await server.journal.read { db in
                try Int.fetchAll(
                    db,
                    sql: "SELECT json_extract(payload, '$.repeat_count') FROM events WHERE type = 'input_rejected' "
                        + "AND json_extract(payload, '$.code') = 'INVALID_JSON' ORDER BY seq")
            }
            #expect(invalidJSON == [1, 4])
        }
    }

    @Test("deeply nested JSON is refused or answered, never a crash; the server stays up")
    func deeplyNested() async throws {
        try await withLiveServer { server in
            let (_, client) = try await signedInClient(server, "nested")
            let depth = 15_000
            let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            #expect(try await rejection(client, arrays).code == "INVALID_JSON")
            let objects = String(repeating: #"{"a":"#, count: 5_000) + "1" + String(repeating: "}", count: 5_000)
            #expect(try await rejection(client, objects).code != nil)
            let start = client.frames.count
            try await client.send(text: #"{"type":"ping","x":"# + String(repeating: "[", count: 3_000)
                + String(repeating: "]", count: 3_000) + "}")
            let answer = try await client.awaitFrame(from: start, "an answer") { $0.type == "pong" || $0.type == "error" }
            #expect(answer.type == "pong" || answer.code == "INVALID_JSON")
            try await expectAlive(client)
            let runID = try await sendMessage(client, content: "Still working after nested input?")
            #expect(try await client.awaitRunEnd(runID: runID).last?.type == "run_completed")
            try await client.close()
        }
    }

    @Test("content of exactly 8,192 UTF-8 bytes is accepted; 8,193 bytes is MESSAGE_TOO_LARGE")
    func contentBoundary() async throws {
        try await withLiveServer { server in
            let (_, client) = try await signedInClient(server, "boundary")
            let exact = String(repeating: "é", count: 4_096)
            let runID = try await sendMessage(client, content: exact)
            let tooBig = try JSONSerialization.data(withJSONObject: ["type": "user_message", "content": exact + "a"])
            #expect(try await rejection(client, String(decoding: tooBig, as: UTF8.self)).code == "MESSAGE_TOO_LARGE")
            try await client.awaitRunEnd(runID: runID)
            let stored = try await server.journal.read { db in
                try String.fetchOne(
                    db, sql: "SELECT json_extract(payload, '$.content') FROM events WHERE type = 'user_message'")
            }
            #expect(stored == exact)
            try await client.close()
        }
    }

    @Test("another user's thread and run ids answer exactly as unknown ids do, over the socket and HTTP")
    func foreignIDsLookUnknown() async throws {
        try await withLiveServer { server in
            let (_, owner) = try await signedInClient(server, "owner")
            let (intruderToken, intruder) = try await signedInClient(server, "intruder")
            let runID = try await sendMessage(owner, content: RecoveryMessages.insufficient)
            let frames = try await owner.awaitRunEnd(runID: runID)
            let threadID = try #require(frames.first?.threadID)
            let unknownRun = UUID().uuidString.lowercased()
            let unknownThread = UUID().uuidString.lowercased()
            func answer(_ object: [String: String]) async throws -> (String?, String?) {
                let data = try JSONSerialization.data(withJSONObject: object)
                let error = try await rejection(intruder, String(decoding: data, as: UTF8.self))
                return (error.code, error["message"]?.stringValue)
            }
            let foreignStop = try await answer(["type": "stop_agent", "run_id": runID])
            let unknownStop = try await answer(["type": "stop_agent", "run_id": unknownRun])
            #expect(foreignStop.0 == "RUN_NOT_FOUND")
            #expect(foreignStop.1?.replacingOccurrences(of: runID, with: "ID")
                == unknownStop.1?.replacingOccurrences(of: unknownRun, with: "ID"))
            let foreignHistory = try await answer(["type": "get_thread_history", "thread_id": threadID])
            let unknownHistory = try await answer(["type": "get_thread_history", "thread_id": unknownThread])
            #expect(foreignHistory.0 == "THREAD_NOT_FOUND")
            #expect(foreignHistory.0 == unknownHistory.0)
            #expect(foreignHistory.1?.replacingOccurrences(of: threadID, with: "ID")
                == unknownHistory.1?.replacingOccurrences(of: unknownThread, with: "ID"))
            let foreignPost = try await answer(["type": "user_message", "content": "hi", "thread_id": threadID])
            let unknownPost = try await answer(["type": "user_message", "content": "hi", "thread_id": unknownThread])
            #expect(foreignPost.0 == "THREAD_NOT_FOUND")
            #expect(foreignPost.0 == unknownPost.0)
            #expect(foreignPost.1?.replacingOccurrences(of: threadID, with: "ID")
                == unknownPost.1?.replacingOccurrences(of: unknownThread, with: "ID"))
            for (foreign, unknown) in [
                ("/api/runs/\(runID)", "/api/runs/\(unknownRun)"),
                ("/api/runs/\(runID)/events", "/api/runs/\(unknownRun)/events"),
                ("/api/threads/\(threadID)/messages", "/api/threads/\(unknownThread)/messages"),
            ] {
                let a = try await server.http("GET", foreign, token: intruderToken.token)
                let b = try await server.http("GET", unknown, token: intruderToken.token)
                #expect(a.status == 404)
                #expect(a.status == b.status)
                #expect(a.json["error"]?["code"] == b.json["error"]?["code"])
            }
            #expect(!intruder.frames.contains { $0.runID == runID })
            try await owner.close()
            try await intruder.close()
        }
    }

    @Test("expired, tampered and wrongly signed tokens: AUTH_FAILED and 1008 on the socket, 401 over HTTP")
    func badTokens() async throws {
        let secret = "hostile-secret-\(UUID().uuidString)"
        try await withLiveServer(configure: { $0.jwtSecret = secret }) { server in
            let user = try await server.signUp(username: "tokens")
            let expired = try await TokenService(
                secret: secret, lifetime: .seconds(60), clock: { Date().addingTimeInterval(-3_600) }
            ).issue(userID: user.userID).token
            let parts = user.token.split(separator: ".").map(String.init)
            let otherPayload = Data(#"{"sub":"someone-else","exp":9999999999,"iat":0}"#.utf8).base64EncodedString()
                .replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_")
            let tampered = [parts[0], otherPayload, parts[2]].joined(separator: ".")
            for token in [expired, tampered, unsignedToken(userID: user.userID), "a.b.c", String(repeating: "x", count: 5_000)] {
                let (client, code) = try await connectExpectingRefusal(server, token: token)
                #expect(code == 1008)
                #expect(client.frames.map(\.code) == ["AUTH_FAILED"])
                #expect(try await server.http("GET", "/api/threads", token: token).status == 401)
            }
            #expect(try await server.http("GET", "/api/threads", token: user.token).status == 200)
        }
    }

    @Test("a flood of frames over 120 in 10 s closes that connection with 1008; the user's others are unaffected")
    func frameFlood() async throws {
        try await withLiveServer { server in
            let (token, flooder) = try await signedInClient(server, "flood")
            let calm = try await server.connect(token: token.token)
            try await calm.awaitFrame("connection_established") { $0.type == "connection_established" }
            for _ in 0..<130 { try? await flooder.send(["type": "ping"]) }
            #expect(try await flooder.awaitClose() == 1008)
            #expect(flooder.frames.filter { $0.type == "pong" }.count <= 120)
            try await expectAlive(calm)
            let closed = try await awaitEvent(server.journal, filter: .user(token.userID)) {
                $0.type == "connection_closed" && $0.payload.contains("too_many_frames")
            }
            #expect(closed.userID == token.userID)
            try await calm.close()
        }
    }
}
