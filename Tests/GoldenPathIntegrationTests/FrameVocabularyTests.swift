import AgentRuntime
import Foundation
import GoldenPathClient
import Testing

@testable import Gateway

/// The WebSocket vocabulary of GoldenPathClient: every server and client frame round-trips through its text,
/// unknown and malformed frames never fail a client, and the gateway decodes client frames through it with the
/// protocol's error codes.
@Suite("Frame vocabulary")
struct FrameVocabularyTests {
    /// One sample of every server frame type, as the gateway writes them.
    static let serverSamples: [ServerFrame.Kind: [String: JSONValue]] = {
        let run: [String: JSONValue] = [
            "seq": 42, "timestamp": "2026-01-01T00:00:00.000Z", "user_id": "u1", "thread_id": "t1", "run_id": "r1",
        ]
        func event(_ kind: ServerFrame.Kind, _ fields: [String: JSONValue]) -> [String: JSONValue] {
            run.merging(fields) { _, own in own }.merging(["type": .string(kind.rawValue)]) { _, type in type }
        }
        return [
            .connectionEstablished: [
                "type": "connection_established", "timestamp": "2026-01-01T00:00:00.000Z", "connection_id": "c1",
                "user_id": "u1", "head_seq": 7,
            ],
            .messageReceived: event(.messageReceived, ["client_message_id": "m1"]),
            .agentStarted: event(
                .agentStarted, ["agent_name": "supervisor", "task_description": "route", "instance_id": "i1"]),
            .agentThinking: event(
                .agentThinking, ["agent_name": "triage", "reasoning": "two figures", "step_number": 1]),
            .toolExecuting: event(
                .toolExecuting,
                [
                    "agent_name": "data", "tool_name": "lookup", "parameters": ["q": "gpu", "api_key": "[REDACTED]"],
                    "execution_id": "e1",
                ]),
            .toolCompleted: event(
                .toolCompleted,
                [
                    "agent_name": "data", "tool_name": "lookup", "execution_id": "e1", "status": "success",
                    "results": [["cost": 12_400.5], nil, true], "duration_ms": 12,
                ]),
            .agentCompleted: event(
                .agentCompleted,
                [
                    "agent_name": "reporting", "status": "completed", "final_response": "Cut idle GPUs.",
                    "duration_ms": 30,
                ]),
            .agentError: event(
                .agentError, ["agent_name": "data", "error_code": "TOOL_TIMEOUT", "message": "the tool timed out"]),
            .agentResponseDelta: event(
                .agentResponseDelta,
                ["agent_name": "reporting", "response_id": "p1", "delta": "Cut ", "chunk_index": 0]),
            .agentResponseReset: event(
                .agentResponseReset, ["agent_name": "reporting", "response_id": "p1", "reason": "retry"]),
            .runCompleted: event(
                .runCompleted, ["status": "completed", "final_response": "Cut idle GPUs.", "degraded": false]),
            .runFailed: event(
                .runFailed, ["status": "failed", "error_code": "INTERRUPTED", "message": "the process stopped"]),
            .runCancelled: event(.runCancelled, ["status": "cancelled"]),
            .resumeCompleted: ["type": "resume_completed", "timestamp": "2026-01-01T00:00:00.000Z", "head_seq": 99],
            .threadHistory: [
                "type": "thread_history", "timestamp": "2026-01-01T00:00:00.000Z", "thread_id": "t1",
                "messages": [["role": "user", "content": "hi"]],
            ],
            .pong: ["type": "pong", "timestamp": "2026-01-01T00:00:00.000Z"],
            .error: [
                "type": "error", "timestamp": "2026-01-01T00:00:00.000Z", "code": "RATE_LIMITED",
                "message": "at most 30 messages a minute",
            ],
        ]
    }()

    @Test("every server frame type parses to its own case and round-trips through its text")
    func serverFramesRoundTrip() throws {
        #expect(Set(Self.serverSamples.keys) == Set(ServerFrame.Kind.allCases))
        for (kind, fields) in Self.serverSamples {
            let frame = ServerFrame(fields: fields)
            #expect(frame.kind == kind, "\(kind.rawValue) parsed as \(frame)")
            #expect(frame.type == kind.rawValue)
            let reparsed = try ServerFrame(parsing: frame.jsonText)
            #expect(reparsed == frame, "\(kind.rawValue)")
            #expect(reparsed.object.fields == fields)
            #expect(reparsed.text == frame.jsonText, "a parsed frame keeps its text as received")
            #expect(try ServerFrame(parsing: reparsed.text) == reparsed)
            #expect(frame.isEvent == (frame.event != nil))
            #expect(frame.isTerminal == [.runCompleted, .runFailed, .runCancelled].contains(kind))
        }
    }

    @Test("the client vocabulary agrees with the journal's: every frame event type is an event frame kind")
    func agreesWithJournalVocabulary() {
        #expect(EventType.frameTypes.isSubset(of: ServerFrame.Kind.eventTypes))
        #expect(EventType.terminalTypes == ServerFrame.Kind.terminalTypes)
        let eventKinds = ServerFrame.Kind.allCases.filter(\.isEvent).map(\.rawValue)
        #expect(Set(eventKinds) == ServerFrame.Kind.eventTypes)
    }

    @Test("typed accessors read the fields of each frame")
    func accessors() throws {
        let tool = ServerFrame(fields: try #require(Self.serverSamples[.toolCompleted]))
        guard case .toolCompleted(let completed) = tool else {
            Issue.record("not tool_completed: \(tool)")
            return
        }
        #expect(completed.seq == 42 && completed.runID == "r1" && completed.userID == "u1")
        #expect(completed.toolName == "lookup" && completed.status == "success" && completed.durationMs == 12)
        #expect(completed.results?.arrayValue?.first?["cost"]?.doubleValue == 12_400.5)
        #expect(tool.seq == 42 && tool.runID == "r1" && tool.agentName == "data" && tool.toolName == "lookup")
        #expect(tool["execution_id"]?.stringValue == "e1")

        let end = ServerFrame(fields: try #require(Self.serverSamples[.runCompleted]))
        #expect(end.isTerminal && end.status == "completed" && end.finalResponse == "Cut idle GPUs.")
        #expect(end.degraded == false && end.errorCode == nil)

        let failed = ServerFrame(fields: try #require(Self.serverSamples[.runFailed]))
        #expect(failed.errorCode == "INTERRUPTED" && failed.message == "the process stopped")

        let refusal = ServerFrame(fields: try #require(Self.serverSamples[.error]))
        guard case .error(let error) = refusal else {
            Issue.record("not error: \(refusal)")
            return
        }
        #expect(error.code == "RATE_LIMITED" && refusal.errorCode == "RATE_LIMITED")
        #expect(error.description == "RATE_LIMITED: at most 30 messages a minute")

        let established = ServerFrame(fields: try #require(Self.serverSamples[.connectionEstablished]))
        guard case .connectionEstablished(let opened) = established else {
            Issue.record("not connection_established: \(established)")
            return
        }
        #expect(opened.connectionID == "c1" && opened.userID == "u1" && opened.headSeq == 7)
        #expect(established.headSeq == 7 && !established.isEvent)

        let deltaFields = try #require(Self.serverSamples[.agentResponseDelta])
        let delta = try #require(ServerFrame(fields: deltaFields).event)
        #expect(delta.responseID == "p1" && delta.delta == "Cut " && delta.chunkIndex == 0)
    }

    @Test("an unknown type parses to .unknown and keeps the raw JSON")
    func unknownType() throws {
        let text = #"{"type":"agent_dreaming","seq":5,"run_id":"r1","dream":{"sheep":3}}"#
        let frame = try ServerFrame(parsing: text)
        guard case .unknown(let object) = frame else {
            Issue.record("expected .unknown, got \(frame)")
            return
        }
        #expect(object.text == text && frame.text == text)
        #expect(object["dream"]?["sheep"]?.intValue == 3)
        #expect(frame.type == "agent_dreaming" && frame.kind == nil && frame.seq == 5 && frame.runID == "r1")
        #expect(!frame.isEvent && !frame.isTerminal)
        #expect(try ServerFrame(parsing: frame.jsonText) == frame)
    }

    @Test("a known type without the fields its case needs, or without a string type, is .unknown")
    func malformedKnownTypes() throws {
        for text in [
            #"{"type":"run_completed","run_id":"r1"}"#,  // no seq
            #"{"type":"agent_started","seq":3}"#,  // no run_id
            #"{"type":"agent_started","seq":3.5,"run_id":"r1"}"#,  // seq not a whole number
            #"{"type":"error","message":"no code"}"#,
            #"{"type":"connection_established","connection_id":"c1"}"#,
            #"{"type":"resume_completed"}"#,
            #"{"type":"thread_history","thread_id":"t1","messages":"none"}"#,
            #"{"type":7}"#, #"{}"#,
        ] {
            let frame = try ServerFrame(parsing: text)
            guard case .unknown(let object) = frame else {
                Issue.record("\(text) parsed as \(frame)")
                continue
            }
            #expect(object.text == text)
        }
    }

    @Test("text that is not a JSON object cannot be a server frame")
    func notAnObject() {
        for text in ["", "{not json", "42", "[1,2]", "null", #""pong""#] {
            #expect(throws: FrameDecodingError.self, "\(text)") { try ServerFrame(parsing: text) }
            do {
                _ = try ServerFrame(parsing: text)
            } catch {
                #expect(error.code == .invalidJSON)
            }
        }
    }

    /// Every client frame, and the exact JSON the server expects for it.
    static let clientSamples: [(ClientFrame, String)] = [
        (.userMessage(content: "How do I cut costs?"), #"{"content":"How do I cut costs?","type":"user_message"}"#),
        (
            .userMessage(content: "more / détails", threadID: "t1", clientMessageID: "m1"),
            #"{"client_message_id":"m1","content":"more / détails","thread_id":"t1","type":"user_message"}"#
        ),
        (.stopAgent(runID: "r1"), #"{"run_id":"r1","type":"stop_agent"}"#),
        (.resume(afterSeq: 0), #"{"after_seq":0,"type":"resume"}"#),
        (.resume(afterSeq: 1_234_567_890_123), #"{"after_seq":1234567890123,"type":"resume"}"#),
        (.getThreadHistory(threadID: "t1"), #"{"thread_id":"t1","type":"get_thread_history"}"#),
        (.ping, #"{"type":"ping"}"#),
    ]

    @Test("every client frame encodes to the server's JSON and round-trips")
    func clientFramesRoundTrip() throws {
        #expect(Set(Self.clientSamples.map(\.0.kind)) == Set(ClientFrame.Kind.allCases))
        for (frame, expected) in Self.clientSamples {
            #expect(frame.text == expected)
            #expect(try ClientFrame(parsing: frame.text) == frame)
            #expect(try InboundMessage.parse(frame.text, limits: InboundMessage.Limits(maxContentBytes: 8_192)) != nil)
        }
    }

    @Test("client frames decode aliases and fields nested under payload, the outer field winning")
    func clientFrameVariants() throws {
        #expect(try ClientFrame(parsing: #"{"type":"chat_message","content":"hi"}"#) == .userMessage(content: "hi"))
        #expect(try ClientFrame(parsing: #"{"type":"start_agent","content":"hi"}"#) == .userMessage(content: "hi"))
        #expect(
            try ClientFrame(parsing: #"{"type":"user_message","payload":{"content":"inner","thread_id":"t9"}}"#)
                == .userMessage(content: "inner", threadID: "t9"))
        #expect(
            try ClientFrame(parsing: #"{"type":"stop_agent","run_id":"outer","payload":{"run_id":"inner"}}"#)
                == .stopAgent(runID: "outer"))
        #expect(try ClientFrame(parsing: #"{"type":"resume","after_seq":12.0}"#) == .resume(afterSeq: 12))
    }

    /// Malformed client frames, the code each must get, and the message the server answers with.
    static let refusals: [(String, FrameDecodingError.Code, String, String)] = [
        ("42", .invalidJSON, "INVALID_JSON", "the frame is not a JSON object"),
        ("", .invalidJSON, "INVALID_JSON", "the frame is not valid JSON"),
        ("{not json", .invalidJSON, "INVALID_JSON", "the frame is not valid JSON"),
        (
            String(repeating: "[", count: 15_000) + String(repeating: "]", count: 15_000), .invalidJSON,
            "INVALID_JSON", "the frame is not valid JSON"
        ),
        ("{}", .invalidField, "INVALID_FIELD", "type must be a string"),
        (#"{"type":1,"content":"hi"}"#, .invalidField, "INVALID_FIELD", "type must be a string"),
        (#"{"payload":{"type":"ping"}}"#, .invalidField, "INVALID_FIELD", "type must be a string"),
        (#"{"type":"user_message"}"#, .emptyMessage, "EMPTY_MESSAGE", "content is required"),
        (#"{"type":"user_message","content":null}"#, .emptyMessage, "EMPTY_MESSAGE", "content is required"),
        (#"{"type":"user_message","content":" \n\t"}"#, .emptyMessage, "EMPTY_MESSAGE", "content is blank"),
        (#"{"type":"user_message","content":" ","thread_id":7}"#, .emptyMessage, "EMPTY_MESSAGE", "content is blank"),
        (#"{"type":"user_message","content":["hi"]}"#, .invalidField, "INVALID_FIELD", "content must be a string"),
        (
            #"{"type":"user_message","content":"\#(String(repeating: "é", count: 4_097))"}"#, .messageTooLarge,
            "MESSAGE_TOO_LARGE", "content is over 8192 bytes"
        ),
        (
            #"{"type":"user_message","content":"hi","thread_id":""}"#, .invalidField, "INVALID_FIELD",
            "thread_id must be a non-empty string of at most 200"
        ),
        (
            #"{"type":"user_message","content":"hi","client_message_id":"\#(String(repeating: "c", count: 201))"}"#,
            .invalidField, "INVALID_FIELD", "client_message_id must be a non-empty string of at most 200"
        ),
        (
            #"{"type":"resume","after_seq":-1}"#, .invalidField, "INVALID_FIELD",
            "after_seq must be a non-negative integer"
        ),
        (
            #"{"type":"resume","after_seq":1e300}"#, .invalidField, "INVALID_FIELD",
            "after_seq must be a non-negative integer"
        ),
        (
            #"{"type":"resume","after_seq":"3"}"#, .invalidField, "INVALID_FIELD",
            "after_seq must be a non-negative integer"
        ),
        (#"{"type":"stop_agent"}"#, .invalidField, "INVALID_FIELD", "run_id is required"),
        (
            #"{"type":"get_thread_history","thread_id":["x"]}"#, .invalidField, "INVALID_FIELD",
            "thread_id must be a non-empty string of at most 200"
        ),
        (#"{"type":"USER_MESSAGE","content":"hi"}"#, .unknownType, "UNKNOWN_TYPE", "unknown frame type USER_MESSAGE"),
        (
            #"{"type":"\#(String(repeating: "x", count: 100))"}"#, .unknownType, "UNKNOWN_TYPE",
            "unknown frame type \(String(repeating: "x", count: 64))"
        ),
    ]

    @Test("malformed client frames get the protocol's codes, in ClientFrame and through the gateway's decoder")
    func clientFrameRefusals() {
        let limits = InboundMessage.Limits(maxContentBytes: 8_192)
        for (text, code, wireCode, message) in Self.refusals {
            do {
                let frame = try ClientFrame(parsing: text)
                Issue.record("\(text.prefix(60)) decoded as \(frame)")
            } catch {
                #expect(error.code == code, "\(text.prefix(60))")
                #expect(error.message == message, "\(text.prefix(60))")
            }
            do {
                let message = try InboundMessage.parse(text, limits: limits)
                Issue.record("\(text.prefix(60)) decoded as \(message)")
            } catch {
                let failure = GatewayError.from(error)
                #expect(failure.code.rawValue == wireCode, "\(text.prefix(60))")
                #expect(failure.message == message, "\(text.prefix(60))")
                #expect(failure.cause is FrameDecodingError, "the gateway's error keeps its cause")
            }
        }
    }
}
