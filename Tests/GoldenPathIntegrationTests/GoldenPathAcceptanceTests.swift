import AgentRuntime
import Foundation
import GRDB
import Gateway
import GoldenPathTesting
import Journal
import StandardPipeline
import Testing

/// The golden path over a real server on 127.0.0.1:0 and real WebSocket clients: SPEC sections 3–6.
@Suite("Golden path acceptance", .serialized)
struct GoldenPathAcceptanceTests {
    @Test("one user, one message: the frames are the SPEC §5 sequence and equal the journal's run events")
    func oneUserOneMessage() async throws {
        try await withLiveServer { server in
            let alice = try await server.signUp(username: "alice")
            let client = try await server.connect(token: alice.token)
            let established = try await client.awaitFrame("connection_established") {
                $0.type == "connection_established"
            }
            #expect(established.userID == alice.userID)
            let connectionID = try #require(established["connection_id"]?.stringValue)
            let runID = try await sendMessage(client, content: "Our GPU inference costs rose 30% to $12,000; cut them.")
            let frames = try await client.awaitRunEnd(runID: runID)
            #expect(frames.first?.type == "message_received")
            expectGoldenPath(frames)
            let journal = try await journalFrames(server.journal, runID: runID)
            #expect(frames.map(FrameKey.init) == journal.map(FrameKey.init))
            for frame in frames {
                #expect(frame.userID == alice.userID && frame.runID == runID && frame.threadID != nil)
                let timestamp = try #require(frame["timestamp"]?.stringValue)
                #expect(timestamp.count == 24 && timestamp.hasSuffix("Z"), "timestamp \(timestamp)")
            }
            let delivered = try await count(
                server.journal,
                "SELECT COUNT(*) FROM deliveries WHERE connection_id = ? AND recipient_user_id = ? AND seq IN "
                    + "(SELECT seq FROM events WHERE run_id = ?)", [connectionID, alice.userID, runID])
            #expect(delivered == frames.count)
            try await client.close()
        }
    }

    @Test("three users × two connections: each connection gets exactly its user's frames, no leak in the journal")
    func threeUsersTwoConnections() async throws {
        try await withLiveServer { server in
            struct Party: Sendable {
                var userID: String
                var canary: String
                var first: TestWebSocketClient
                var second: TestWebSocketClient
            }
            var parties: [Party] = []
            for index in 0..<3 {
                let user = try await server.signUp(username: "user\(index)")
                let first = try await server.connect(token: user.token)
                let second = try await server.connect(token: user.token, transport: .subprotocol)
                for client in [first, second] {
                    try await client.awaitFrame("connection_established") { $0.type == "connection_established" }
                }
                parties.append(
                    Party(userID: user.userID, canary: "canary-\(UUID().uuidString)", first: first, second: second))
            }
            let runs = try await withThrowingTaskGroup(of: (String, String).self) { group in
                for party in parties {
                    group.addTask {
                        let runID = try await sendMessage(
                            party.first, content: "Cut our GPU bill of $12,000 a month by 30%. \(party.canary)")
                        try await party.first.awaitRunEnd(runID: runID)
                        try await party.second.awaitRunEnd(runID: runID)
                        return (party.userID, runID)
                    }
                }
                return try await group.reduce(into: [String: String]()) { $0[$1.0] = $1.1 }
            }
            for party in parties {
                let runID = try #require(runs[party.userID])
                let firstFrames = party.first.frames.filter { $0.runID == runID }
                let secondFrames = party.second.frames.filter { $0.runID == runID }
                expectGoldenPath(firstFrames)
                #expect(firstFrames.map(FrameKey.init) == secondFrames.map(FrameKey.init))
                for client in [party.first, party.second] {
                    for frame in client.frames {
                        #expect(frame.userID == nil || frame.userID == party.userID, "foreign frame \(frame)")
                        #expect(frame.runID == nil || frame.runID == runID, "foreign run in \(frame)")
                        for other in parties where other.userID != party.userID {
                            #expect(!frame.text.contains(other.canary), "another user's canary in \(frame)")
                        }
                    }
                }
            }
            #expect(try await count(server.journal, "SELECT COUNT(*) FROM cross_user_deliveries") == 0)
            #expect(try await count(server.journal, "SELECT COUNT(*) FROM cross_user_events") == 0)
            for party in parties {
                #expect(
                    try await count(
                        server.journal, "SELECT COUNT(*) FROM events WHERE user_id IS NOT ? AND payload LIKE ?",
                        [party.userID, "%\(party.canary)%"]) == 0)
                #expect(
                    try await count(
                        server.journal,
                        "SELECT COUNT(*) FROM deliveries d JOIN events e ON e.seq = d.seq "
                            + "WHERE d.recipient_user_id IS NOT ? AND e.payload LIKE ?",
                        [party.userID, "%\(party.canary)%"]) == 0)
                #expect(
                    try await count(
                        server.journal,
                        "SELECT COUNT(*) FROM deliveries d JOIN events e ON e.seq = d.seq "
                            + "WHERE e.user_id = ? AND d.recipient_user_id = ?", [party.userID, party.userID]) > 0)
            }
            let report = try await server.journal.verify()
            #expect(report.failures.isEmpty, "\(report.failures)")
            for party in parties {
                try await party.first.close()
                try await party.second.close()
            }
        }
    }

    @Test("a repeated client_message_id starts one run and re-sends the first message_received")
    func duplicateClientMessageID() async throws {
        try await withLiveServer { server in
            let bob = try await server.signUp(username: "bob")
            let client = try await server.connect(token: bob.token)
            let runID = try await sendMessage(client, content: "Reduce our storage costs.", clientMessageID: "m1")
            try await client.awaitRunEnd(runID: runID)
            let before = try await server.journal.headSeq()
            let start = client.frames.count
            try await client.send(["type": "user_message", "content": "again", "client_message_id": "m1"])
            let again = try await client.awaitFrame(from: start, "the repeated message_received") {
                $0.type == "message_received"
            }
            #expect(again.runID == runID)
            #expect(again.seq == client.frames.first { $0.type == "message_received" }?.seq)
            #expect(try await server.journal.headSeq() == before)
            #expect(
                try await count(
                    server.journal,
                    "SELECT COUNT(DISTINCT run_id) FROM events WHERE user_id = ? AND run_id IS NOT NULL",
                    [bob.userID]) == 1)
            try await client.close()
        }
    }

    @Test("resume after a disconnect mid-run delivers every missed frame once, in order, then live ones")
    func resumeAfterDisconnect() async throws {
        let llm = GatedLLM()
        try await withLiveServer(llm: llm) { server in
            let carol = try await server.signUp(username: "carol")
            let first = try await server.connect(token: carol.token)
            let runID = try await sendMessage(first, content: "Our cloud bill doubled to $40,000; what now?")
            let lastSeen = try #require(first.frames.compactMap(\.seq).max())
            try await first.close()
            // Wait (on the journal) until the run holds at its LLM call, so the frames in between are missed.
            for try await event in server.journal.subscribe(filter: .run(runID)) where event.type == "llm_request" {
                break
            }

            let second = try await server.connect(token: carol.token)
            try await second.awaitFrame("connection_established") { $0.type == "connection_established" }
            try await second.send(["type": "resume", "after_seq": Int(lastSeen)])
            let completed = try await second.awaitFrame("resume_completed") { $0.type == "resume_completed" }
            llm.open()
            let frames = try await second.awaitRunEnd(runID: runID)
            let seqs = second.frames.compactMap(\.seq)
            #expect(seqs == seqs.sorted() && Set(seqs).count == seqs.count, "duplicates or disorder: \(seqs)")
            let expected = try await journalFrames(server.journal, runID: runID).filter { $0.seq > lastSeen }
            #expect(frames.map(FrameKey.init) == expected.map(FrameKey.init))
            let head = try #require(completed["head_seq"]?.intValue)
            let completedIndex = try #require(second.frames.firstIndex { $0.type == "resume_completed" })
            #expect(second.frames[..<completedIndex].allSatisfy { ($0.seq ?? 0) <= head })
            #expect(second.frames[(completedIndex + 1)...].allSatisfy { ($0.seq ?? Int64(head) + 1) > head })
            #expect(second.frames[(completedIndex + 1)...].contains { $0.type == "run_completed" })

            // A fresh connection resuming from 0 gets the whole run again, with the original seq and timestamp.
            let third = try await server.connect(token: carol.token)
            try await third.send(["type": "resume", "after_seq": 0])
            try await third.awaitFrame("resume_completed") { $0.type == "resume_completed" }
            let replayed = third.frames.filter { $0.runID == runID }
            let original = try await journalFrames(server.journal, runID: runID)
            #expect(replayed.map(FrameKey.init) == original.map(FrameKey.init))
            #expect(replayed.map { $0["timestamp"]?.stringValue } == original.map(\.recordedAt))
            try await second.close()
            try await third.close()
        }
    }

    @Test("authentication failures: AUTH_FAILED then close 1008")
    func authenticationFailures() async throws {
        try await withLiveServer { server in
            let dave = try await server.signUp(username: "dave")
            var forged = dave.token
            forged.removeLast(4)
            forged += forged.hasSuffix("AAAA") ? "BBBB" : "AAAA"
            let other = try await TokenService(secret: "not-the-server-secret-but-long-enough-for-hs256")
            let foreign = try await other.issue(userID: dave.userID).token
            for token in [nil, "garbage", unsignedToken(userID: dave.userID), forged, foreign] {
                let client = try await server.connect(token: token)
                let code = try await client.awaitClose()
                #expect(code == 1008, "token \(token ?? "none")")
                #expect(client.frames.map(\.type) == ["error"])
                #expect(client.frames.first?.code == "AUTH_FAILED")
            }
            let viaSubprotocol = try await server.connect(token: dave.token, transport: .subprotocol)
            try await viaSubprotocol.awaitFrame("connection_established") { $0.type == "connection_established" }
            try await viaSubprotocol.close()
        }
    }

    @Test("bad frames are answered with an error and the connection stays usable")
    func badFrames() async throws {
        try await withLiveServer { server in
            let erin = try await server.signUp(username: "erin")
            let client = try await server.connect(token: erin.token)
            let established = try await client.awaitFrame("connection_established") {
                $0.type == "connection_established"
            }
            let connectionID = try #require(established["connection_id"]?.stringValue)
            let cases: [(String, String)] = [
                ("{not json", "INVALID_JSON"),
                ("{not json", "INVALID_JSON"),
                ("{not json", "INVALID_JSON"),
                ("{not json", "INVALID_JSON"),
                ("[1, 2]", "INVALID_JSON"),
                ("{\"type\": 42}", "INVALID_FIELD"),
                (#"{"type":"dance"}"#, "UNKNOWN_TYPE"),
                (#"{"type":"user_message","content":"   "}"#, "EMPTY_MESSAGE"),
                (#"{"type":"user_message","content":"\#(String(repeating: "x", count: 8_193))"}"#, "MESSAGE_TOO_LARGE"),
                (#"{"type":"user_message","content":42}"#, "INVALID_FIELD"),
                (
                    #"{"type":"user_message","payload":{"content":"hi","thread_id":"no-such-thread"}}"#,
                    "THREAD_NOT_FOUND"
                ),
                (#"{"type":"stop_agent","run_id":"no-such-run"}"#, "RUN_NOT_FOUND"),
                (#"{"type":"resume","after_seq":"zero"}"#, "INVALID_FIELD"),
            ]
            for (text, expected) in cases {
                let start = client.frames.count
                try await client.send(text: text)
                let error = try await client.awaitFrame(from: start, "error for \(text.prefix(40))") {
                    $0.type == "error"
                }
                #expect(error.code == expected, "\(text.prefix(40)) answered \(error.code ?? "nil")")
            }
            let start = client.frames.count
            try await client.send(binary: [1, 2, 3])
            #expect(
                try await client.awaitFrame(from: start, "error for binary") { $0.type == "error" }.code
                    == "INVALID_JSON")
            let pingStart = client.frames.count
            try await client.send(["type": "ping"])
            try await client.awaitFrame(from: pingStart, "pong") { $0.type == "pong" }
            let runID = try await sendMessage(client, content: "Still usable after bad frames?")
            try await client.awaitRunEnd(runID: runID)
            try await client.close()
            try await JournalAssertions(server.journal).awaitEvent(.all) {
                $0.type == "connection_closed" && $0.connectionID == connectionID
            }
            // Five INVALID_JSON in a row, and the binary frame later within the minute: one record (repeat_count 1)
            // and, when the connection closed, one carrying the five repeats. Summed, the records count every
            // rejection.
            let invalidJSON = try await server.journal.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT json_extract(payload, '$.repeat_count') AS n FROM events
                        WHERE type = 'input_rejected' AND connection_id = ? AND json_extract(payload, '$.code') = ?
                        ORDER BY seq
                        """, arguments: [connectionID, "INVALID_JSON"]
                ).map { row -> Int in row["n"] }
            }
            #expect(invalidJSON == [1, 5])
            let total = try await count(
                server.journal,
                "SELECT SUM(json_extract(payload, '$.repeat_count')) FROM events WHERE type = 'input_rejected' "
                    + "AND connection_id = ?", [connectionID])
            #expect(total == cases.count + 1)
        }
    }
}

extension GoldenPathAcceptanceTests {
    @Test("HTTP: sign-up, login, 409, 400, 401 with one answer, /api ownership 404s, /healthz, /metrics")
    func http() async throws {
        try await withLiveServer { server in
            let signup = try await server.http(
                "POST", "/auth/signup", body: #"{"username":"frank","password":"secret-password"}"#)
            #expect(signup.status == 201)
            let frank = try JSONDecoder().decode(IssuedToken.self, from: Data(signup.body.utf8))
            #expect(!frank.token.isEmpty && !frank.userID.isEmpty && !frank.expiresAt.isEmpty)
            let taken = try await server.http(
                "POST", "/auth/signup", body: #"{"username":"frank","password":"another-password"}"#)
            #expect(taken.status == 409)
            #expect(taken.json["error"]?["code"]?.stringValue == "USERNAME_TAKEN")
            for body in [
                #"{"username":"x"}"#, "not json", #"{"username":"bad name!","password":"secret-password"}"#,
                #"{"username":"shorty","password":"short"}"#,
            ] {
                let bad = try await server.http("POST", "/auth/signup", body: body)
                #expect(bad.status == 400, "\(body)")
                #expect(bad.json["error"]?["code"]?.stringValue != nil)
            }
            let login = try await server.http(
                "POST", "/auth/login", body: #"{"username":"frank","password":"secret-password"}"#)
            #expect(login.status == 200)
            #expect(try JSONDecoder().decode(IssuedToken.self, from: Data(login.body.utf8)).userID == frank.userID)
            let wrongPassword = try await server.http(
                "POST", "/auth/login", body: #"{"username":"frank","password":"wrong-password"}"#)
            let unknownUser = try await server.http(
                "POST", "/auth/login", body: #"{"username":"nobody","password":"wrong-password"}"#)
            #expect(wrongPassword.status == 401 && unknownUser.status == 401)
            #expect(wrongPassword.body == unknownUser.body)
            #expect(try await count(server.journal, "SELECT COUNT(*) FROM events WHERE type = 'user_signed_up'") == 1)
            #expect(
                try await count(server.journal, "SELECT COUNT(*) FROM events WHERE payload LIKE '%secret-password%'")
                    == 0)

            // Frank runs something; Grace must not see it.
            let client = try await server.connect(token: frank.token)
            let runID = try await sendMessage(client, content: "Lower our database spend of $3,000 a month.")
            try await client.awaitRunEnd(runID: runID)
            try await client.close()
            let threadID = try #require(client.frames.first { $0.runID == runID }?.threadID)
            let grace = try await server.signUp(username: "grace")

            #expect(try await server.http("GET", "/api/threads").status == 401)
            #expect(try await server.http("GET", "/api/threads", token: "forged.token.here").status == 401)
            let threads = try await server.http("GET", "/api/threads", token: frank.token)
            #expect(threads.status == 200 && threads.body.contains(threadID))
            let graceThreads = try await server.http("GET", "/api/threads", token: grace.token)
            #expect(graceThreads.status == 200 && !graceThreads.body.contains(threadID))
            #expect(try await server.http("GET", "/api/threads/\(threadID)/messages", token: frank.token).status == 200)
            #expect(try await server.http("GET", "/api/runs/\(runID)", token: frank.token).status == 200)
            let events = try await server.http("GET", "/api/runs/\(runID)/events", token: frank.token)
            #expect(events.status == 200 && events.body.contains("run_completed"))
            for path in ["/api/threads/\(threadID)/messages", "/api/runs/\(runID)", "/api/runs/\(runID)/events"] {
                let foreign = try await server.http("GET", path, token: grace.token)
                let unknown = try await server.http(
                    "GET",
                    path.replacingOccurrences(of: runID, with: "unknown").replacingOccurrences(
                        of: threadID, with: "unknown"),
                    token: grace.token)
                #expect(foreign.status == 404 && unknown.status == 404, "\(path)")
                #expect(foreign.body == unknown.body, "\(path) tells a foreign id from an unknown one")
            }

            let health = try await server.http("GET", "/healthz")
            #expect(health.status == 200)
            #expect(health.json["status"]?.stringValue == "ok")
            #expect(health.json["head_seq"]?.intValue == Int(try await server.journal.headSeq()))
            let metrics = try await server.http("GET", "/metrics")
            #expect(metrics.status == 200)
            for name in [
                "goldenpath_frames_sent_total{type=\"run_completed\"}", "goldenpath_runs{status=\"completed\"} 1",
                "goldenpath_journal_append_seconds_bucket", "goldenpath_websocket_connections",
            ] {
                #expect(metrics.body.contains(name), "\(name) missing from /metrics")
            }
            let notFound = try await server.http("GET", "/no/such/route")
            #expect(notFound.status == 404 && notFound.json["error"]?["code"]?.stringValue == "NOT_FOUND")
        }
    }

    @Test("the 11th connection of a user gets TOO_MANY_CONNECTIONS and close 1013")
    func tooManyConnections() async throws {
        try await withLiveServer { server in
            let henry = try await server.signUp(username: "henry")
            var clients: [TestWebSocketClient] = []
            var connectionIDs: [String] = []
            for _ in 0..<10 {
                let client = try await server.connect(token: henry.token)
                let established = try await client.awaitFrame("connection_established") {
                    $0.type == "connection_established"
                }
                clients.append(client)
                connectionIDs.append(try #require(established.json["connection_id"]?.stringValue))
            }
            let (eleventh, code) = try await connectExpectingRefusal(server, token: henry.token)
            #expect(code == 1013)
            #expect(eleventh.frames.first?.code == "TOO_MANY_CONNECTIONS")
            try await clients[0].close()
            // The server gives the slot back before it journals connection_closed: await that, not the client.
            try await JournalAssertions(server.journal).awaitEvent(.stream(EventStreams.connection(connectionIDs[0]))) {
                $0.type == "connection_closed"
            }
            let replacement = try await server.connect(token: henry.token)
            try await replacement.awaitFrame("connection_established") { $0.type == "connection_established" }
            for client in clients.dropFirst() + [replacement] { try await client.close() }
        }
    }
}
