import AgentRuntime
import Foundation
import GRDB
import Gateway
import GoldenPathTesting
import Journal
import StandardPipeline
import Testing

extension GoldenPathAcceptanceTests {
    @Test(
        "stop_agent cancels the caller's run; a second stop is RUN_ALREADY_ENDED; another user's run is RUN_NOT_FOUND")
    func stopAgent() async throws {
        let llm = GatedLLM()
        try await withLiveServer(llm: llm) { server in
            let ivy = try await server.signUp(username: "ivy")
            let mallory = try await server.signUp(username: "mallory")
            let client = try await server.connect(token: ivy.token)
            let intruder = try await server.connect(token: mallory.token)
            let runID = try await sendMessage(client, content: "Trim our $9,000 monthly logging bill.")
            try await intruder.send(["type": "stop_agent", "run_id": runID])
            #expect(try await intruder.awaitFrame("error") { $0.type == "error" }.code == "RUN_NOT_FOUND")
            try await client.send(["type": "stop_agent", "run_id": runID])
            let frames = try await client.awaitRunEnd(runID: runID)
            #expect(frames.last?.type == "run_cancelled")
            let start = client.frames.count
            try await client.send(["type": "stop_agent", "run_id": runID])
            let error = try await client.awaitFrame(from: start, "error") { $0.type == "error" }
            #expect(error.code == "RUN_ALREADY_ENDED")
            #expect(!intruder.frames.contains { $0.runID == runID })
            llm.open()
            try await client.close()
            try await intruder.close()
        }
    }

    @Test("the rate limit is checked before the run limit, and refused messages count toward neither")
    func rateAndRunLimits() async throws {
        let llm = GatedLLM()
        var agents = AgentsConfiguration()
        agents.maximumConcurrentRunsPerUser = 1
        try await withLiveServer(llm: llm, agents: agents, configure: { $0.limits.messagesPerMinute = 2 }) { server in
            let jack = try await server.signUp(username: "jack")
            let client = try await server.connect(token: jack.token)
            let first = try await sendMessage(client, content: "First question about our $5,000 CDN bill.")
            for attempt in 0..<3 {
                let start = client.frames.count
                try await client.send(["type": "user_message", "content": "while the first runs \(attempt)"])
                let error = try await client.awaitFrame(from: start, "error") { $0.type == "error" }
                #expect(error.code == "TOO_MANY_RUNS", "refused messages must not use up the rate limit")
            }
            llm.open()
            try await client.awaitRunEnd(runID: first)
            let second = try await sendMessage(client, content: "Second question.")
            try await client.awaitRunEnd(runID: second)
            let start = client.frames.count
            try await client.send(["type": "user_message", "content": "Third question."])
            #expect(try await client.awaitFrame(from: start, "error") { $0.type == "error" }.code == "RATE_LIMITED")
            try await client.close()
        }
    }

    @Test("get_thread_history answers the caller's transcript; a thread_id continues the thread")
    func threadHistory() async throws {
        try await withLiveServer { server in
            let kate = try await server.signUp(username: "kate")
            let leo = try await server.signUp(username: "leo")
            let client = try await server.connect(token: kate.token)
            let runID = try await sendMessage(client, content: "How do we cut $2,000 of idle VMs?")
            let frames = try await client.awaitRunEnd(runID: runID)
            let threadID = try #require(frames.first?.threadID)
            let followUp = try await sendMessage(client, content: "And the disks?", threadID: threadID)
            let followUpFrames = try await client.awaitRunEnd(runID: followUp)
            #expect(followUpFrames.allSatisfy { $0.threadID == threadID })
            let start = client.frames.count
            try await client.send(["type": "get_thread_history", "payload": ["thread_id": threadID]])
            let history = try await client.awaitFrame(from: start, "thread_history") { $0.type == "thread_history" }
            let messages = try #require(history["messages"]?.arrayValue)
            #expect(messages.count == 4)
            #expect(messages.map { $0["role"]?.stringValue } == ["user", "assistant", "user", "assistant"])
            #expect(messages.first?["content"]?.stringValue == "How do we cut $2,000 of idle VMs?")
            let other = try await server.connect(token: leo.token)
            try await other.send(["type": "get_thread_history", "thread_id": threadID])
            #expect(try await other.awaitFrame("error") { $0.type == "error" }.code == "THREAD_NOT_FOUND")
            let before = other.frames.count
            try await other.send(["type": "user_message", "content": "hijack", "thread_id": threadID])
            #expect(
                try await other.awaitFrame(from: before, "second error") { $0.type == "error" }.code
                    == "THREAD_NOT_FOUND")
            try await client.close()
            try await other.close()
        }
    }

    @Test("a frame over 64 KiB closes with 1009; invalid UTF-8 closes with 1007")
    func oversizedAndInvalidFrames() async throws {
        try await withLiveServer { server in
            let mia = try await server.signUp(username: "mia")
            let big = try await server.connect(token: mia.token)
            try await big.awaitFrame("connection_established") { $0.type == "connection_established" }
            try await big.send(text: #"{"type":"ping","pad":""# + String(repeating: "x", count: 70_000) + #""}"#)
            #expect(try await big.awaitClose() == 1009)
            let invalid = try await server.connect(token: mia.token)
            try await invalid.awaitFrame("connection_established") { $0.type == "connection_established" }
            try await invalid.send(textBytes: [0x7B, 0xFF, 0xFE, 0x7D])
            #expect(try await invalid.awaitClose() == 1007)
        }
    }

    @Test("a token that expires on an open socket gets AUTH_EXPIRED and close 1008")
    func tokenExpiry() async throws {
        try await withLiveServer(configure: { $0.tokenLifetime = .seconds(2) }) { server in
            let ned = try await server.signUp(username: "ned")
            let client = try await server.connect(token: ned.token)
            #expect(try await client.awaitClose(timeout: .seconds(10)) == 1008)
            #expect(client.frames.last?.code == "AUTH_EXPIRED")
            let closed = try await awaitEvent(server.journal, filter: .user(ned.userID)) {
                $0.type == "connection_closed"
            }
            #expect(closed.payload.contains("auth_expired"))
        }
    }

    @Test("a connection that falls behind is closed with 1013 and loses nothing: resume gives every frame")
    func laggingConnection() async throws {
        try await withLiveServer(configure: { $0.limits.subscriptionBufferLimit = 1 }) { server in
            let olga = try await server.signUp(username: "olga")
            let slow = try await server.connect(token: olga.token)
            try await slow.send([
                "type": "user_message", "content": "Our $30,000 cloud bill needs a cut.", "client_message_id": "lag",
            ])
            #expect(try await slow.awaitClose() == 1013)
            let received = try await awaitEvent(server.journal, filter: .user(olga.userID)) {
                $0.type == "message_received"
            }
            let runID = try #require(received.runID)
            try await awaitEvent(server.journal, filter: .run(runID)) { AgentEvent.terminalTypes.contains($0.type) }
            let again = try await server.connect(token: olga.token)
            try await again.send(["type": "resume", "after_seq": 0])
            try await again.awaitFrame("resume_completed") { $0.type == "resume_completed" }
            let expected = try await journalFrames(server.journal, runID: runID)
            #expect(again.frames.filter { $0.runID == runID }.map(FrameKey.init) == expected.map(FrameKey.init))
            let closed = try await awaitEvent(server.journal, filter: .user(olga.userID)) {
                $0.type == "connection_closed"
            }
            #expect(closed.payload.contains("too_slow"))
            try await again.close()
        }
    }

    @Test("/healthz answers 503 with the reason when the journal is not writable")
    func healthWhenJournalUnavailable() async throws {
        try await withLiveServer { server in
            #expect(try await server.http("GET", "/healthz").status == 200)
            try server.journal.close()
            let health = try await server.http("GET", "/healthz")
            #expect(health.status == 503)
            #expect(health.json["error"]?["code"]?.stringValue == "JOURNAL_UNAVAILABLE")
            #expect(health.json["error"]?["message"]?.stringValue?.contains("not writable") == true)
        }
    }
}
