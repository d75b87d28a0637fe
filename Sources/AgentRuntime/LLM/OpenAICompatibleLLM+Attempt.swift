import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension OpenAICompatibleLLM {
    /// One attempt: its record, how it ended, and the answer when it succeeded.
    struct AttemptResult: Sendable {
        var record: LLMAttempt
        var outcome: Outcome
        var completion: Completion?
    }

    /// The attempt ran past ``Configuration/timeout``.
    private struct AttemptTimedOut: Error {}

    /// An attempt that failed in a way its code has already classified.
    struct AttemptFailure: Error {
        var outcome: Outcome
    }

    /// Sends `request` to `model` once, within ``Configuration/timeout``, and classifies the result.
    func attempt(_ request: LLMRequest, model: String, number: Int) async -> AttemptResult {
        await measuredAttempt(request, model: model, number: number) {
            let body = try JSONEncoder().encode(ChatCompletionRequest(request, model: model))
            // The HTTP client's deadline ends the exchange up to the response head at `timeout` of real time
            // (reporting a refused or failed connection as such); the limit on `timeLimitClock`, a little later,
            // also covers the body.
            let answered = try await withTimeLimit(configuration.timeout + .milliseconds(250), clock: timeLimitClock) {
                try await self.send(body)
            }
            guard let (status, answer) = answered.map({ ($0.status, $0.body) }) else { throw AttemptTimedOut() }
            guard (200...299).contains(status) else { throw AttemptFailure(outcome: .http(status)) }
            guard let completion = Completion(body: answer) else { throw AttemptFailure(outcome: .invalidResponse) }
            return completion
        }
    }

    /// Runs one attempt's `operation`, timing it, classifying how it ended, and logging the record.
    func measuredAttempt(
        _ request: LLMRequest, model: String, number: Int, _ operation: () async throws -> Completion
    ) async -> AttemptResult {
        let clock = ContinuousClock()
        let started = clock.now
        var completion: Completion?
        let outcome: Outcome
        do {
            completion = try await operation()
            outcome = .success
        } catch {
            outcome = self.outcome(of: error, model: model)
        }
        let record = LLMAttempt(
            model: model, number: number, outcome: outcome.rawValue,
            latencyMs: Self.milliseconds(started.duration(to: clock.now)))
        log(record, request: request)
        return AttemptResult(record: record, outcome: outcome, completion: completion)
    }

    /// How an attempt that threw `error` ended.
    private func outcome(of error: any Error, model: String) -> Outcome {
        switch error {
        case let failure as AttemptFailure:
            return failure.outcome
        case is AttemptTimedOut, is StreamWatchdog.Expired:
            return .timeout
        case let error as HTTPClientError where error == .deadlineExceeded:
            return .timeout
        case is NIOTooManyBytesError:
            return .invalidResponse
        case is EncodingError:
            // Cannot happen for the wire types (non-finite temperatures are dropped); counted as a failed try.
            return .transportError
        default:
            logger.debug(
                "LLM transport error", metadata: ["llm.model": "\(model)", "error": "\(String(describing: error))"])
            return .transportError
        }
    }

    /// Posts `body` and reads the whole answer: the HTTP status and the body (at most
    /// ``Configuration/maxResponseBytes``).
    private func send(_ body: Data) async throws -> (status: Int, body: Data) {
        let response = try await httpClient.execute(
            chatCompletionsRequest(body, accept: "application/json"), timeout: Self.timeAmount(configuration.timeout))
        let bytes = try await response.body.collect(upTo: configuration.maxResponseBytes)
        return (Int(response.status.code), Data(bytes.readableBytesView))
    }

    /// `POST /chat/completions` with `body`, accepting `accept`, with the API key (when set) as a bearer token.
    func chatCompletionsRequest(_ body: Data, accept: String) -> HTTPClientRequest {
        var httpRequest = HTTPClientRequest(url: configuration.chatCompletionsURL)
        httpRequest.method = .POST
        httpRequest.headers.add(name: "Content-Type", value: "application/json")
        httpRequest.headers.add(name: "Accept", value: accept)
        if let apiKey = configuration.apiKey, !apiKey.isEmpty {
            httpRequest.headers.add(name: "Authorization", value: "Bearer \(apiKey)")
        }
        httpRequest.body = .bytes(ByteBuffer(bytes: body))
        return httpRequest
    }

    /// Logs how `attempt` ended: a failure as a warning, an answer at debug level.
    func log(_ attempt: LLMAttempt, request: LLMRequest) {
        let metadata: Logger.Metadata = [
            "llm.model": "\(attempt.model)", "llm.attempt": "\(attempt.number)", "llm.outcome": "\(attempt.outcome)",
            "llm.latency_ms": "\(attempt.latencyMs)", "agent.name": "\(request.agentName)",
            "llm.purpose": "\(request.purpose)",
        ]
        if attempt.outcome == Outcome.success.rawValue {
            logger.debug("LLM attempt answered", metadata: metadata)
        } else {
            logger.warning("LLM attempt failed", metadata: metadata)
        }
    }

    /// `duration` as NIO's `TimeAmount`.
    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
