import AgentRuntime
import Foundation
import GoldenPathTesting
import Journal
import Logging
import StandardPipeline
import Testing

/// Streamed answers journaled as `agent_response_delta` / `agent_response_reset` (SPEC section 4): coalescing,
/// resets, stop mid-answer, and replay comparing a response by its text.
@Suite("Streamed answers", .timeLimit(.minutes(5)))
struct StreamingTests {
    /// The decoded deltas and resets of a run, with their events.
    static func streamed(_ events: [RecordedEvent]) -> (deltas: [AgentResponseDelta], resets: [AgentResponseReset]) {
        let decoded = events.compactMap { try? AgentEvent(recorded: $0) }
        return (
            decoded.compactMap { if case .agentResponseDelta(let delta) = $0 { delta } else { nil } },
            decoded.compactMap { if case .agentResponseReset(let reset) = $0 { reset } else { nil } }
        )
    }

    static func finalResponse(_ events: [RecordedEvent]) -> String? {
        payloads(events) { if case .runCompleted(let completed) = $0 { completed.finalResponse } else { nil } }.first
    }

    @Test("pieces sent at once: the first is journaled at once, the rest as one delta when the model is done")
    func coalescesWithinTheWindow() async throws {
        let clock = ManualTimeLimitClock()  // never advanced: the window never closes by itself
        try await withCoordinator(llm: ScriptedLLM(streaming: .init(wordsPerChunk: 1))) {
            $0.deltaClock = clock
        } _: { harness in
            let events = try await harness.runToEnd(Messages.sufficient)
            let (deltas, resets) = Self.streamed(events)
            #expect(resets.isEmpty)
            #expect(deltas.map(\.chunkIndex) == [0, 1])
            #expect(deltas.map(\.responseID) == ["r1", "r1"])
            #expect(deltas.allSatisfy { $0.agentName == "reporting" })
            #expect(deltas[0].delta == "You ")  // one word: the first piece, not held for the window
            let answer = try #require(Self.finalResponse(events))
            #expect(deltas.map(\.delta).joined() == answer)

            // Inside reporting's llm_report_generation bracket, after the request and before the response.
            let types = describe(events)
            let request = try #require(types.firstIndex(of: "llm_request reporting"))
            #expect(Array(types[request...].prefix(4)) == [
                "llm_request reporting", "agent_response_delta reporting", "agent_response_delta reporting",
                "llm_response reporting",
            ])
            let requestSeq = events[request].seq
            let deltaEvents = events.filter { $0.type == "agent_response_delta" }
            #expect(deltaEvents.map(\.causationSeq) == [requestSeq, requestSeq])
            #expect(deltaEvents.map(\.eventID) == deltaEvents.map { "\($0.runID ?? ""):r1:" }.enumerated().map { "\($1)\($0)" })
            #expect(deltaEvents.allSatisfy { $0.userID == "alice" })
        }
    }

    @Test("a window of 0 journals every piece the model sends as its own delta")
    func windowZeroJournalsEveryPiece() async throws {
        try await withCoordinator(llm: ScriptedLLM(streaming: .init(wordsPerChunk: 1))) {
            $0.deltaWindow = .zero
        } _: { harness in
            let events = try await harness.runToEnd(Messages.insufficient)
            let (deltas, _) = Self.streamed(events)
            let answer = try #require(Self.finalResponse(events))
            let words = answer.split(whereSeparator: \.isWhitespace).count
            #expect(deltas.count == words)
            #expect(deltas.map(\.chunkIndex) == Array(0..<words))
            #expect(deltas.map(\.delta).joined() == answer)
        }
    }

    @Test("a model without streaming: its answer is one delta")
    func oneDeltaWithoutStreaming() async throws {
        try await withCoordinator { harness in
            let events = try await harness.runToEnd(Messages.partial)
            let (deltas, resets) = Self.streamed(events)
            #expect(resets.isEmpty)
            #expect(deltas.count == 1)
            #expect(deltas.first?.delta == Self.finalResponse(events))
        }
    }

    @Test("a retry after streamed text: reset retry, the next attempt streams under a new response id")
    func retryResetsTheStreamedText() async throws {
        let llm = AttemptScript(attempts: [
            .init(model: "primary", number: 1, pieces: ["Half an ", "answer"]),
            .init(model: "primary", number: 2, pieces: ["The whole ", "answer."]),
        ])
        try await withCoordinator(model: llm) { $0.deltaWindow = .zero } _: { harness in
            let events = try await harness.runToEnd(Messages.insufficient)
            let (deltas, resets) = Self.streamed(events)
            #expect(deltas.map { "\($0.responseID)#\($0.chunkIndex) \($0.delta)" } == [
                "r1#0 Half an ", "r1#1 answer", "r2#0 The whole ", "r2#1 answer.",
            ])
            #expect(resets.map { "\($0.responseID) \($0.reason.rawValue)" } == ["r1 retry"])
            #expect(Self.finalResponse(events) == "The whole answer.")
            // The reset sits between the attempts, before the call's llm_response.
            let order = events.filter { ["agent_response_reset", "llm_response"].contains($0.type) }.map(\.type)
            #expect(order == ["agent_response_reset", "llm_response"])
        }
    }

    @Test("the fallback model after streamed text: reset fallback")
    func fallbackResetsTheStreamedText() async throws {
        let llm = AttemptScript(attempts: [
            .init(model: "primary", number: 1, pieces: ["Cut "]),
            .init(model: "backup", number: 1, isFallback: true, pieces: ["From the backup."]),
        ])
        try await withCoordinator(model: llm) { _ in } _: { harness in
            let events = try await harness.runToEnd(Messages.insufficient)
            let (deltas, resets) = Self.streamed(events)
            #expect(resets.map { "\($0.responseID) \($0.reason.rawValue)" } == ["r1 fallback"])
            #expect(deltas.filter { $0.responseID == "r2" }.map(\.delta).joined() == "From the backup.")
            #expect(Self.finalResponse(events) == "From the backup.")
        }
    }

    @Test("a call that fails after streamed text: reset failed before llm_failed; no answer is left standing")
    func failureResetsTheStreamedText() async throws {
        let llm = AttemptScript(attempts: [.init(model: "primary", number: 1, pieces: ["Never ", "finished"])], fails: true)
        try await withCoordinator(model: llm) { _ in } _: { harness in
            let events = try await harness.runToEnd(Messages.insufficient)
            let (_, resets) = Self.streamed(events)
            #expect(resets.map { "\($0.responseID) \($0.reason.rawValue)" } == ["r1 failed"])
            let order = events.map(\.type).filter { ["agent_response_delta", "agent_response_reset", "llm_failed"].contains($0) }
            #expect(order == ["agent_response_delta", "agent_response_reset", "llm_failed"])
            #expect(events.last?.type == "run_completed")
        }
    }

    @Test("stop mid-answer: the stream is cancelled, the run ends run_cancelled, the partial answer stays")
    func stopMidAnswer() async throws {
        let pace = ManualTimeLimitClock()  // never advanced: the model is stuck after its first piece
        try await withCoordinator(llm: ScriptedLLM(streaming: .init(wordsPerChunk: 2, pace: .seconds(1), clock: pace))) { harness in
            let accepted = try await harness.send(Messages.sufficient)
            _ = try await harness.firstEvent(of: accepted.runID) { $0.type == "agent_response_delta" }
            try await harness.coordinator.stop(runID: accepted.runID, userID: "alice")
            let events = try await harness.eventsUntilEnd(of: accepted.runID)
            #expect(events.last?.type == "run_cancelled")
            let (deltas, resets) = Self.streamed(events)
            #expect(deltas.map(\.delta) == ["You asked: "])
            #expect(resets.isEmpty)
            #expect(!events.contains { $0.type == "llm_response" || $0.type == "llm_failed" })
            #expect(pace.sleeperCount == 0)  // the model's wait for its next piece was cancelled
        }
    }

    @Test("replay --verify compares a response by its text, however many deltas it took")
    func replayComparesResponsesByText() async throws {
        try await withCoordinator(llm: ScriptedLLM(streaming: .init(wordsPerChunk: 1))) {
            $0.deltaWindow = .zero
        } _: { harness in
            let accepted = try await harness.send(Messages.sufficient)
            let events = try await harness.eventsUntilEnd(of: accepted.runID)
            #expect(Self.streamed(events).deltas.count > 10)
            let report = try await RunVerifier(pipeline: StandardPipeline.make()).verify(
                runID: accepted.runID, in: harness.journal)
            #expect(report.isClean, "\(String(describing: report.divergence))")
            #expect(report.expectedCount == events.count { !EventType.streamedAnswerTypes.contains($0.type) })
        }
    }
}

/// A model that streams scripted attempts: each reports `attemptStarted` and its pieces; the last attempt's text
/// is the answer, unless `fails`.
struct AttemptScript: LLMClient {
    struct Attempt: Sendable {
        var model: String
        var number: Int
        var isFallback = false
        var pieces: [String]
    }

    let attempts: [Attempt]
    var fails = false

    var modelName: String { attempts.first?.model ?? "primary" }

    func complete(_ request: LLMRequest) async throws -> LLMResponse {
        try await stream(request) { _ in }
    }

    func stream(_ request: LLMRequest, handler: @escaping LLMStreamHandler) async throws -> LLMResponse {
        for attempt in attempts {
            handler(.attemptStarted(model: attempt.model, number: attempt.number, isFallback: attempt.isFallback))
            for piece in attempt.pieces { handler(.delta(piece)) }
        }
        let records = attempts.enumerated().map { index, attempt in
            LLMAttempt(
                model: attempt.model, number: attempt.number,
                outcome: index == attempts.count - 1 && !fails ? "success" : "transport_error", latencyMs: 1)
        }
        if fails { throw LLMError(code: .unavailable, message: "the stream was cut off", attempts: records) }
        let last = attempts.last
        return LLMResponse(
            content: last?.pieces.joined() ?? "", model: last?.model ?? "primary", promptTokens: 1,
            completionTokens: 1, latencyMs: 1, attempts: records)
    }
}
