import AgentRuntime
import Foundation
import Journal
import StandardPipeline
import Testing

/// The typed vocabulary: type strings, frame types, snake_case payloads, decoding back, unknown types.
@Suite("Event vocabulary")
struct EventVocabularyTests {
    static func recorded(_ event: NewEvent, seq: Int64 = 1) -> RecordedEvent {
        RecordedEvent(
            seq: seq, eventID: event.eventID, stream: "run:r", streamVersion: seq, type: event.type,
            schemaVersion: event.schemaVersion, userID: event.userID, threadID: event.threadID, runID: event.runID,
            connectionID: event.connectionID, causationSeq: event.causationSeq, correlationID: event.correlationID,
            payload: event.payload, recordedAt: "2026-11-30T10:00:00.000Z", prevHash: "", hash: "")
    }

    static let samples: [AgentEvent] = [
        .userMessage(UserMessage(content: "hi", clientMessageID: nil, threadID: "t", runID: "r")),
        .messageReceived(MessageReceived(clientMessageID: "c", threadID: "t", runID: "r")),
        .agentStarted(AgentStarted(agentName: "triage", taskDescription: "classify", instanceID: "i")),
        .agentThinking(AgentThinking(agentName: "triage", reasoning: "hmm", stepNumber: 1)),
        .toolExecuting(
            ToolExecuting(agentName: "data", toolName: "extract_metrics", parameters: ["a": 1], executionID: "e")),
        .toolCompleted(
            ToolCompleted(
                agentName: "data", toolName: "extract_metrics", executionID: "e", status: .success,
                results: ["b": [1, "x"]],
                durationMs: 3)),
        .agentCompleted(AgentCompleted(agentName: "data", status: .failed, finalResponse: nil, durationMs: 4)),
        .agentError(AgentErrorReported(agentName: "data", errorCode: "TOOL_FAILED", message: "no")),
        .runCompleted(RunCompleted(finalResponse: "answer", degraded: true)),
        .runFailed(RunFailed(errorCode: "INTERRUPTED", message: "stopped")),
        .runCancelled(RunCancelled()),
        .llmRequest(
            LLMRequested(
                agentName: "reporting", purpose: "p", model: "m", messages: [.init(role: "user", content: "q")])),
        .llmResponse(
            LLMResponded(
                agentName: "reporting",
                response: LLMResponse(
                    content: "a", model: "m", promptTokens: 1, completionTokens: 2, latencyMs: 3,
                    attempts: [LLMAttempt(model: "m", number: 1, outcome: "success", latencyMs: 3)]))),
        .llmFailed(LLMFailed(agentName: "reporting", errorCode: "LLM_TIMEOUT", message: "slow", attempts: [])),
        .runRecovery(RunRecovery(decision: .interrupted, reason: "restart", lastSeq: 9)),
        .connectionOpened(ConnectionOpened(connectionID: "c1")),
        .connectionClosed(ConnectionClosed(connectionID: "c1", reason: "client_closed")),
        .inputRejected(InputRejected(connectionID: "c1", code: "INVALID_JSON", message: "bad", repeatCount: 2)),
        .userSignedUp(UserSignedUp(username: "alice")),
        .agentResponseDelta(AgentResponseDelta(agentName: "reporting", responseID: "r1", delta: "An", chunkIndex: 0)),
        .agentResponseReset(AgentResponseReset(agentName: "reporting", responseID: "r1", reason: .toolCalls)),
    ]

    @Test("every event type round-trips through the journal envelope")
    func roundTrip() throws {
        #expect(Set(Self.samples.map(\.type)) == Set(EventType.allCases))
        for sample in Self.samples {
            let newEvent = try sample.newEvent(EventMetadata(eventID: "x", userID: "u", runID: "r"))
            #expect(newEvent.type == sample.type.rawValue)
            #expect(try AgentEvent(recorded: Self.recorded(newEvent)) == sample)
        }
    }

    @Test("payload keys are SPEC's snake_case names; optional frame fields are null, not absent")
    func payloadKeys() throws {
        func keys(_ event: AgentEvent) throws -> Set<String> {
            let object = try JSONSerialization.jsonObject(with: Data(try event.payloadJSON().utf8))
            return Set((object as? [String: Any])?.keys.map { $0 } ?? [])
        }
        #expect(try keys(Self.samples[1]) == ["client_message_id", "thread_id", "run_id"])
        #expect(try keys(Self.samples[19]) == ["agent_name", "response_id", "delta", "chunk_index"])
        #expect(try Self.samples[20].payloadJSON() == #"{"agent_name":"reporting","reason":"tool_calls","response_id":"r1"}"#)
        #expect(try keys(Self.samples[2]) == ["agent_name", "task_description", "instance_id"])
        #expect(try keys(Self.samples[3]) == ["agent_name", "reasoning", "step_number"])
        #expect(try keys(Self.samples[4]) == ["agent_name", "tool_name", "parameters", "execution_id"])
        #expect(
            try keys(Self.samples[5]) == [
                "agent_name", "tool_name", "execution_id", "status", "results", "duration_ms",
            ])
        #expect(try keys(Self.samples[6]) == ["agent_name", "status", "final_response", "duration_ms"])
        #expect(try keys(Self.samples[7]) == ["agent_name", "error_code", "message"])
        #expect(try keys(Self.samples[8]) == ["status", "final_response", "degraded"])
        #expect(try keys(Self.samples[9]) == ["status", "error_code", "message"])
        #expect(try keys(Self.samples[10]) == ["status", "error_code", "message"])
        #expect(
            try keys(Self.samples[12]).isSuperset(of: [
                "model", "prompt_tokens", "completion_tokens", "latency_ms", "attempts",
            ]))
        #expect(try Self.samples[6].payloadJSON().contains(#""final_response":null"#))
        #expect(try Self.samples[8].payloadJSON().contains(#""status":"completed""#))
    }

    @Test("frame types are exactly SPEC's run frames")
    func frameTypes() {
        #expect(
            AgentEvent.frameTypes == [
                "message_received", "agent_started", "agent_thinking", "tool_executing", "tool_completed",
                "agent_completed", "agent_error", "run_completed", "run_failed", "run_cancelled",
                "agent_response_delta", "agent_response_reset",
            ])
        #expect(AgentEvent.terminalTypes == ["run_completed", "run_failed", "run_cancelled"])
    }

    @Test("an unknown type, a newer schema version, a bad payload are typed errors")
    func decodingErrors() throws {
        var unknown = try Self.samples[0].newEvent(EventMetadata(eventID: "x"))
        unknown.type = "something_new"
        #expect(throws: AgentEventError.self) { try AgentEvent(recorded: Self.recorded(unknown)) }
        do {
            _ = try AgentEvent(recorded: Self.recorded(unknown))
        } catch let error as AgentEventError {
            #expect(error.code == .unknownType)
        }
        var newer = try Self.samples[0].newEvent(EventMetadata(eventID: "x"))
        newer.schemaVersion = 99
        do {
            _ = try AgentEvent(recorded: Self.recorded(newer))
            Issue.record("a newer schema version decoded")
        } catch let error as AgentEventError {
            #expect(error.code == .unsupportedSchemaVersion)
        }
        var bad = try Self.samples[0].newEvent(EventMetadata(eventID: "x"))
        bad.payload = #"{"content": 5}"#
        do {
            _ = try AgentEvent(recorded: Self.recorded(bad))
            Issue.record("a bad payload decoded")
        } catch let error as AgentEventError {
            #expect(error.code == .invalidPayload)
        }
    }

    @Test("secrets are redacted from tool parameters")
    func redaction() {
        let parameters: JSONValue = [
            "api_key": "sk-1", "nested": ["password": "p", "ok": 1], "list": [["token": "t"]],
        ]
        let redacted = parameters.redactingSecrets()
        #expect(redacted["api_key"] == "[REDACTED]")
        #expect(redacted["nested"]?["password"] == "[REDACTED]")
        #expect(redacted["nested"]?["ok"] == 1)
        #expect(redacted["list"]?.arrayValue?.first?["token"] == "[REDACTED]")
    }
}

extension EventVocabularyTests {
    @Test("payloads written through JSONValue are byte for byte JSONEncoder's; NaN is refused as before")
    func payloadTreesMatchTheEncoder() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let nested: JSONValue = [
            "query": "caf\u{e9} \"quoted\" / back\\slash\nline", "limit": 3, "ratio": 0.25, "big": 1e20,
            "flags": [true, false, nil], "deeper": ["Z": [], "a": [:], "_": -0.0],
        ]
        let executing = ToolExecuting(agentName: "triage", toolName: "classify", parameters: nested, executionID: "x-1")
        let completed = ToolCompleted(
            agentName: "triage", toolName: "classify", executionID: "x-1", status: .error,
            results: ["error": ["code": "BAD", "message": "no"]], durationMs: 12)
        let finished = AgentCompleted(agentName: "reporting", status: .timeout, finalResponse: nil, durationMs: 7)
        let withState = AgentCompleted(
            agentName: "triage", status: .completed, finalResponse: "done", durationMs: 3, state: nested)
        let cases: [(AgentEvent, Data)] = [
            (.toolExecuting(executing), try encoder.encode(executing)),
            (.toolCompleted(completed), try encoder.encode(completed)),
            (.agentCompleted(finished), try encoder.encode(finished)),
            (.agentCompleted(withState), try encoder.encode(withState)),
        ]
        for (event, expected) in cases {
            #expect(try event.payloadJSON() == String(decoding: expected, as: UTF8.self))
        }
        let nan = AgentEvent.toolCompleted(
            ToolCompleted(
                agentName: "a", toolName: "t", executionID: "x", status: .success, results: ["v": .number(.nan)],
                durationMs: 1))
        #expect(throws: AgentEventError.self) { try nan.payloadJSON() }
    }
}
