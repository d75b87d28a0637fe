import AgentRuntime
import Hummingbird
import NIOCore
import ServiceLifecycle
import Synchronization

/// Plays ``StubLLMServer/StreamStep`` scripts as `text/event-stream` responses and records the client closes it
/// sees while a stream is playing. One per stub server, shared by its route handlers and the test.
///
/// A close is seen through Hummingbird's inbound-close handler (the request's part stream ends when the client
/// closes the connection), so the stub notices it while it is waiting, without writing anything.
final class StubStreamPlayer: Sendable {
    private struct State {
        var closes: [StubLLMServer.ClientClose] = []
        /// How many closes ``nextClientClose(within:)`` has handed out.
        var handedOut = 0
        /// One latch per close number, opened when that close is recorded.
        var recorded: [Int: Latch] = [:]

        mutating func latch(for number: Int) -> Latch {
            if let latch = recorded[number] { return latch }
            let latch = Latch()
            recorded[number] = latch
            return latch
        }
    }

    /// How far one response has got, shared by the writer and the inbound-close handler.
    private final class Progress: Sendable {
        private struct State {
            var nextStep = 0
            var writesSent = 0
            var playing = true
        }

        private let state = Mutex(State())

        func at(step: Int) { state.withLock { $0.nextStep = step } }
        func wrote() { state.withLock { $0.writesSent += 1 } }
        func stop() { state.withLock { $0.playing = false } }

        /// Stops and returns where the stream was, or `nil` when it had already stopped.
        func stopForClose() -> (nextStep: Int, writesSent: Int)? {
            state.withLock { state in
                guard state.playing else { return nil }
                state.playing = false
                return (state.nextStep, state.writesSent)
            }
        }
    }

    /// The script ended the response on purpose (``StubLLMServer/StreamStep/cutOff``) or after the client left:
    /// thrown out of the body writer so that the connection closes without the body's last chunk.
    private struct ResponseAbandoned: Error {}

    private let state = Mutex(State())

    /// Every close recorded so far.
    var closes: [StubLLMServer.ClientClose] { state.withLock { $0.closes } }

    /// A `200 text/event-stream` response that plays `steps` for the call at `requestIndex`.
    func response(
        playing steps: [StubLLMServer.StreamStep], requestIndex: Int, model: String, request: Request
    ) -> Response {
        Response(
            status: .ok,
            // The server closes the connection after a streamed response (it has been reading the request's part
            // stream to see a client close), so it says so, and the client does not pool it.
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache", .connection: "close"],
            body: ResponseBody { writer in
                let progress = Progress()
                let clientClosed = Latch()
                try await request.body.consumeWithInboundCloseHandler { _ in
                    try await self.play(steps, writer: &writer, progress: progress, clientClosed: clientClosed)
                } onInboundClosed: {
                    if let (nextStep, writesSent) = progress.stopForClose() {
                        self.record(
                            StubLLMServer.ClientClose(
                                requestIndex: requestIndex, model: model, nextStep: nextStep, writesSent: writesSent,
                                observedAt: .now))
                    }
                    clientClosed.open()
                }
                try await writer.finish(nil)
            })
    }

    private func play(
        _ steps: [StubLLMServer.StreamStep], writer: inout any ResponseBodyWriter, progress: Progress,
        clientClosed: Latch
    ) async throws {
        for (index, step) in steps.enumerated() {
            progress.at(step: index)
            switch step {
            case .bytes(let bytes):
                try await writer.write(ByteBuffer(bytes: bytes))
                progress.wrote()
            case .pause(let duration):
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
            case .waitUntil(let condition):
                await cancelWhenGracefulShutdown { await condition() }
                try Task.checkCancellation()
            case .cutOff:
                progress.stop()
                throw ResponseAbandoned()
            case .waitForClientClose:
                progress.at(step: index + 1)
                await cancelWhenGracefulShutdown { await clientClosed.wait() }
                try Task.checkCancellation()
                throw ResponseAbandoned()
            }
        }
        progress.stop()
    }

    private func record(_ close: StubLLMServer.ClientClose) {
        let latch = state.withLock { state in
            state.closes.append(close)
            return state.latch(for: state.closes.count - 1)
        }
        latch.open()
    }

    /// The next close not handed out yet, waiting for it up to `timeout`.
    /// - Throws: ``StubLLMServerError`` when none is recorded in time; `CancellationError` when cancelled.
    func nextClientClose(within timeout: Duration) async throws -> StubLLMServer.ClientClose {
        let (number, latch) = state.withLock { state in (state.handedOut, state.latch(for: state.handedOut)) }
        let recorded = await latch.wait(within: timeout)
        try Task.checkCancellation()
        let close = state.withLock { state -> StubLLMServer.ClientClose? in
            guard recorded, state.closes.indices.contains(number), state.handedOut == number else { return nil }
            state.handedOut += 1
            return state.closes[number]
        }
        guard let close else {
            throw StubLLMServerError(
                message: "The stub saw no client close (number \(number + 1)) within \(timeout)", cause: nil)
        }
        return close
    }
}
