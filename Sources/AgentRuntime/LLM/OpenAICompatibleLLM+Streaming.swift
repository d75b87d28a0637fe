import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension OpenAICompatibleLLM {
    /// Answers `request` like ``complete(_:)`` — the same attempts, backoff, fallback and errors — with the answer
    /// streamed: `"stream": true` and `"stream_options": {"include_usage": true}`, its server-sent events read as
    /// they arrive.
    ///
    /// `handler` gets ``LLMStreamEvent/attemptStarted(model:number:isFallback:)`` before every try and
    /// ``LLMStreamEvent/delta(_:)`` for each piece of text as soon as it is parsed. Each attempt has two time
    /// limits: ``Configuration/timeout`` to the first bytes of the body, then ``Configuration/chunkTimeout`` for
    /// each wait between pieces. A stream that ends before `data: [DONE]` is a failed attempt (`incomplete_stream`)
    /// and is retried. An endpoint that answers a streamed request with a whole JSON completion is read as such.
    /// With ``Configuration/streaming`` off, the calls are ``complete(_:)``'s, and each successful attempt's text is
    /// reported as one delta.
    ///
    /// Cancelling the calling task closes the HTTP connection at once (the endpoint stops generating) and throws.
    /// - Throws: ``LLMError`` as ``complete(_:)`` describes; code ``LLMError/Code/cancelled`` on cancellation.
    public func stream(_ request: LLMRequest, handler: @escaping LLMStreamHandler) async throws -> LLMResponse {
        try await call(request) { model, number, isFallback in
            handler(.attemptStarted(model: model, number: number, isFallback: isFallback))
            guard configuration.streaming else {
                let result = await attempt(request, model: model, number: number)
                if let content = result.completion?.content, !content.isEmpty { handler(.delta(content)) }
                return result
            }
            return await streamingAttempt(request, model: model, number: number, handler: handler)
        }
    }

    /// Sends `request` to `model` once as a streamed call, reporting its text to `handler`, and classifies the
    /// result.
    private func streamingAttempt(
        _ request: LLMRequest, model: String, number: Int, handler: @escaping LLMStreamHandler
    ) async -> AttemptResult {
        await measuredAttempt(request, model: model, number: number) {
            let body = try JSONEncoder().encode(ChatCompletionRequest(request, model: model, stream: true))
            return try await StreamWatchdog.run(
                within: configuration.timeout, extendingBy: configuration.chunkTimeout, clock: timeLimitClock
            ) { watchdog in
                try await self.sendStreaming(body, watchdog: watchdog, handler: handler)
            }
        }
    }

    /// Posts `body` and reads the answer as it streams, extending `watchdog` at each piece.
    /// - Throws: ``AttemptFailure`` for an HTTP error status, an unusable answer or a stream cut off; the HTTP
    ///   client's error when no response head arrives.
    private func sendStreaming(
        _ body: Data, watchdog: StreamWatchdog, handler: @escaping LLMStreamHandler
    ) async throws -> Completion {
        let response = try await httpClient.execute(
            chatCompletionsRequest(body, accept: "text/event-stream"), timeout: Self.timeAmount(configuration.timeout))
        let status = Int(response.status.code)
        // The body of an error status is not read: dropping it ends the exchange.
        guard (200...299).contains(status) else { throw AttemptFailure(outcome: .http(status)) }
        let contentType = response.headers.first(name: "Content-Type")?.lowercased() ?? ""
        guard contentType.hasPrefix("text/event-stream") else {
            // An endpoint that ignores `stream`: one whole completion.
            let bytes: ByteBuffer
            do {
                bytes = try await response.body.collect(upTo: configuration.maxResponseBytes)
            } catch is NIOTooManyBytesError {
                throw AttemptFailure(outcome: .invalidResponse)
            }
            guard let completion = Completion(body: Data(bytes.readableBytesView)) else {
                throw AttemptFailure(outcome: .invalidResponse)
            }
            if !completion.content.isEmpty { handler(.delta(completion.content)) }
            return completion
        }

        var parser = ServerSentEventParser()
        var accumulator = ChatCompletionStreamAccumulator()
        var received = 0
        do {
            reading: for try await buffer in response.body {
                watchdog.extend(by: configuration.chunkTimeout)
                received += buffer.readableBytes
                guard received <= configuration.maxResponseBytes else {
                    throw AttemptFailure(outcome: .invalidResponse)
                }
                for event in parser.feed(buffer.readableBytesView) {
                    if let text = try accumulator.apply(event) { handler(.delta(text)) }
                    // Stop at [DONE]: what follows is not read (the rest of the exchange is dropped).
                    if accumulator.isDone { break reading }
                }
            }
        } catch is ChatCompletionStreamAccumulator.InvalidChunk {
            throw AttemptFailure(outcome: .invalidResponse)
        } catch let failure as AttemptFailure {
            throw failure
        } catch {
            // The connection closed or broke mid-stream, or the task was cancelled (the caller checks that).
            logger.debug("LLM stream broke", metadata: ["error": "\(String(describing: error))"])
            throw AttemptFailure(outcome: .incompleteStream)
        }
        guard accumulator.isDone else { throw AttemptFailure(outcome: .incompleteStream) }
        guard let completion = accumulator.completion() else { throw AttemptFailure(outcome: .invalidResponse) }
        return completion
    }
}
