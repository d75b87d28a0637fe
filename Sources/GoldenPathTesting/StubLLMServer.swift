import AgentRuntime
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A scripted OpenAI-compatible chat-completions endpoint over real HTTP on `127.0.0.1`, for tests.
///
/// Start one with ``withStubLLMServer(defaultBehaviour:logger:_:)``; it listens on a free port and is torn down when
/// the closure ends. Point an `OpenAICompatibleLLM` at ``baseURL``. Script how the next calls are answered with
/// ``script(_:forModel:)`` — an answer, a delay (to provoke a client timeout), an HTTP status, or a body that is not
/// a completion — and read back what the clients sent with ``requests``.
///
/// ```swift
/// try await withStubLLMServer { server in
///     server.script([.status(500), .answer("Hello")], forModel: "primary")
///     let configuration = OpenAICompatibleLLM.Configuration(baseURL: server.baseURL, model: "primary")
///     let llm = OpenAICompatibleLLM(configuration: configuration, httpClient: httpClient)
///     let response = try await llm.complete(request)
///     #expect(server.requests.map(\.model) == ["primary", "primary"])
/// }
/// ```
///
/// ## Streaming
/// A request with `"stream": true` is answered with server-sent events: ``Behaviour/stream(_:)`` plays a script of
/// raw writes, pauses, waits, a cut-off, or a wait for the client to close (``StreamStep``; ``SSE`` builds the
/// events); ``Behaviour/answer(_:promptTokens:completionTokens:)``, ``Behaviour/reply(_:)`` and
/// ``Behaviour/toolCalls(_:content:)`` are streamed word by word with a usage chunk and `[DONE]`, so every existing
/// script also works for a streaming client. ``nextClientClose(within:)`` awaits the client closes seen mid-stream.
///
/// Both `POST /v1/chat/completions` and `POST /chat/completions` are served.
public struct StubLLMServer: Sendable {
    /// How the stub answers one call.
    public indirect enum Behaviour: Sendable {
        /// HTTP 200 with a chat completion whose first choice has `content`, and the given token counts.
        case answer(String, promptTokens: Int = 11, completionTokens: Int = 7)
        /// HTTP 200 with a chat completion whose content is computed from the request (scripted models in
        /// integration tests); 11 prompt tokens and 7 completion tokens.
        case reply(@Sendable (ReceivedRequest) -> String)
        /// The HTTP status with a JSON error body (or `body` when given).
        case status(Int, body: String? = nil)
        /// HTTP 200 with `body` as is (by default text that is not JSON).
        case garbage(String = "this is not a chat completion {")
        /// Waits `delay`, then behaves as `then`. A delay still waiting when the stub shuts down ends at once.
        case delay(Duration, then: Behaviour)
        /// HTTP 200 with a chat completion whose first choice calls these tools (`finish_reason` `tool_calls`),
        /// with `content` as the turn's text (`null` when nil).
        case toolCalls([LLMToolCall], content: String? = nil)
        /// Behaves as the behaviour computed from the request: a model that reads what it is sent (the tools
        /// offered, the tool results so far) and decides.
        case decide(@Sendable (ReceivedRequest) -> Behaviour)
        /// HTTP 200 `text/event-stream`, the body played from these steps (whether or not the request asked for a
        /// stream).
        case stream([StreamStep])
    }

    /// One call the stub received.
    public struct ReceivedRequest: Sendable, Hashable {
        /// The model asked (`""` when the body was not a chat-completions request).
        public var model: String
        /// The conversation sent (an assistant message's `null` content as empty text).
        public var messages: [LLMRequest.Message]
        /// The tools offered (`tools`).
        public var tools: [LLMToolDefinition]
        /// `tool_choice`, when sent.
        public var toolChoice: String?
        /// `parallel_tool_calls`, when sent.
        public var parallelToolCalls: Bool?
        /// `max_tokens`, when sent.
        public var maxTokens: Int?
        /// `temperature`, when sent.
        public var temperature: Double?
        /// `stream` was `true`: the client asked for server-sent events.
        public var stream: Bool
        /// `stream_options.include_usage` was `true`.
        public var includeUsage: Bool
        /// The `Authorization` header, when sent.
        public var authorization: String?
        /// The request path (`/v1/chat/completions`).
        public var path: String
        /// The raw request body.
        public var body: String
    }

    /// The port the stub listens on (on `127.0.0.1`).
    public let port: Int
    let script: StubLLMScript

    /// The base URL to configure a client with: `http://127.0.0.1:<port>/v1`.
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    /// Appends `behaviours` to the script of `model`, or to the script for any model when `model` is `nil`.
    ///
    /// A call is answered by the next behaviour of its model's script, else by the next one of the any-model
    /// script, else by the default behaviour.
    public func script(_ behaviours: [Behaviour], forModel model: String? = nil) {
        script.append(behaviours, forModel: model)
    }

    /// Every call received so far, in arrival order.
    public var requests: [ReceivedRequest] { script.received }

    /// The calls received so far that asked for `model`.
    public func requests(forModel model: String) -> [ReceivedRequest] {
        script.received.filter { $0.model == model }
    }

    /// Returns once at least `count` calls have been received (their bodies read, their behaviour chosen), waiting
    /// up to `timeout` — so that a test passes a client's time limit only after the call has reached the stub.
    /// - Throws: ``StubLLMServerError`` when fewer calls arrive in time; `CancellationError` when cancelled.
    public func waitForRequests(count: Int, within timeout: Duration = .seconds(10)) async throws {
        try await script.waitForRequests(count: count, within: timeout)
    }

    /// Every client close seen while a streamed answer was playing, in the order seen.
    public var clientCloses: [ClientClose] { script.player.closes }

    /// The next client close seen mid-stream that this method has not returned yet (the first, then the second,
    /// …), waiting for it up to `timeout`.
    ///
    /// A close is recorded when the client closes the connection while the stub is still playing a streamed
    /// answer (in a pause, a wait, or ``StreamStep/waitForClientClose``), with the step it had not played yet.
    /// - Throws: ``StubLLMServerError`` when no such close is seen in time; `CancellationError` when cancelled.
    public func nextClientClose(within timeout: Duration = .seconds(10)) async throws -> ClientClose {
        try await script.player.nextClientClose(within: timeout)
    }
}

/// The stub could not start.
public struct StubLLMServerError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    /// The description of the underlying error, if any.
    public var cause: String?

    /// A sentence for people.
    public var description: String { cause.map { "\(message): \($0)" } ?? message }
}

/// Runs a ``StubLLMServer`` on `127.0.0.1` (a free port) for the duration of `body`, then stops it.
///
/// The server runs in a service group in a child task of a task group; when `body` returns or throws, the group is
/// shut down gracefully (which also ends any scripted delay still waiting) and awaited, so nothing outlives the call.
/// - Parameters:
///   - defaultBehaviour: How calls that no script covers are answered.
///   - logger: The server's logger (by default warnings only).
///   - body: The test, given the running server.
/// - Throws: ``StubLLMServerError`` when the server cannot start, or what `body` throws.
public func withStubLLMServer<Result>(
    defaultBehaviour: StubLLMServer.Behaviour = .answer("Stub answer."),
    logger: Logger? = nil,
    _ body: (StubLLMServer) async throws -> Result
) async throws -> Result {
    let script = StubLLMScript(defaultBehaviour: defaultBehaviour)
    let router = Router()
    for path in ["/v1/chat/completions", "/chat/completions"] {
        router.post(RouterPath(path)) { request, _ in try await script.respond(to: request) }
    }
    let (ports, portContinuation) = AsyncStream<Int>.makeStream()
    let app = Application(
        router: router,
        configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: "StubLLM"),
        onServerRunning: { channel in
            portContinuation.yield(channel.localAddress?.port ?? 0)
            portContinuation.finish()
        },
        logger: logger ?? {
            var quiet = Logger(label: "goldenpath.stub-llm")
            quiet.logLevel = .warning
            return quiet
        }()
    )

    let services = ServiceGroup(configuration: ServiceGroupConfiguration(services: [app], logger: app.logger))

    return try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { group in
        group.addTask {
            defer { portContinuation.finish() }
            try await services.run()
        }
        var portIterator = ports.makeAsyncIterator()
        guard let port = await portIterator.next(), port > 0 else {
            await services.triggerGracefulShutdown()
            do {
                try await group.waitForAll()
            } catch {
                throw StubLLMServerError(message: "The stub LLM server did not start", cause: "\(error)")
            }
            throw StubLLMServerError(message: "The stub LLM server did not start", cause: nil)
        }
        let result: Result
        do {
            result = try await body(StubLLMServer(port: port, script: script))
        } catch {
            await services.triggerGracefulShutdown()
            throw error
        }
        // A graceful shutdown ends the scripted delays still waiting, lets open calls finish and closes the
        // connections; then the server's task returns.
        await services.triggerGracefulShutdown()
        try await group.waitForAll()
        return result
    }
}

/// The stub's mutable state: the scripts and the calls received. Shared by the route handlers and the test.
final class StubLLMScript: Sendable {
    private struct State {
        var scripts: [String: [StubLLMServer.Behaviour]] = [:]
        var anyModel: [StubLLMServer.Behaviour] = []
        var received: [StubLLMServer.ReceivedRequest] = []
        /// One latch per call count awaited, opened when that many calls have been received.
        var arrivals: [Int: Latch] = [:]

        mutating func latch(forCount count: Int) -> Latch {
            if let latch = arrivals[count] { return latch }
            let latch = Latch()
            if received.count >= count { latch.open() }
            arrivals[count] = latch
            return latch
        }
    }

    /// The request body the stub understands.
    private struct WireRequest: Decodable {
        struct Message: Decodable {
            var role: String
            var content: String?
            var toolCalls: [ToolCall]?
            var toolCallID: String?

            enum CodingKeys: String, CodingKey {
                case role, content, toolCalls = "tool_calls", toolCallID = "tool_call_id"
            }
        }

        struct ToolCall: Decodable {
            struct Function: Decodable {
                var name: String
                var arguments: String
            }

            var id: String
            var function: Function
        }

        struct Tool: Decodable {
            struct Function: Decodable {
                var name: String
                var description: String?
                var parameters: JSONValue?
            }

            var function: Function
        }

        var model: String
        var messages: [Message]
        var maxTokens: Int?
        var temperature: Double?
        var tools: [Tool]?
        var toolChoice: String?
        var parallelToolCalls: Bool?
        var stream: Bool?
        var streamOptions: StreamOptions?

        struct StreamOptions: Decodable {
            var includeUsage: Bool?

            enum CodingKeys: String, CodingKey {
                case includeUsage = "include_usage"
            }
        }

        enum CodingKeys: String, CodingKey {
            case model, messages, temperature, tools, stream
            case maxTokens = "max_tokens"
            case toolChoice = "tool_choice"
            case parallelToolCalls = "parallel_tool_calls"
            case streamOptions = "stream_options"
        }
    }

    private let state = Mutex(State())
    private let defaultBehaviour: StubLLMServer.Behaviour
    private let answers = Atomic<Int>(0)
    /// Plays streamed answers and records the client closes seen meanwhile.
    let player = StubStreamPlayer()

    init(defaultBehaviour: StubLLMServer.Behaviour) {
        self.defaultBehaviour = defaultBehaviour
    }

    var received: [StubLLMServer.ReceivedRequest] { state.withLock { $0.received } }

    /// Waits until `count` calls have been received, up to `timeout`.
    func waitForRequests(count: Int, within timeout: Duration) async throws {
        let latch = state.withLock { $0.latch(forCount: count) }
        let arrived = await latch.wait(within: timeout)
        try Task.checkCancellation()
        guard arrived else {
            throw StubLLMServerError(
                message: "The stub received \(received.count) of \(count) calls within \(timeout)", cause: nil)
        }
    }

    func append(_ behaviours: [StubLLMServer.Behaviour], forModel model: String?) {
        state.withLock { state in
            if let model {
                state.scripts[model, default: []].append(contentsOf: behaviours)
            } else {
                state.anyModel.append(contentsOf: behaviours)
            }
        }
    }

    /// Records the call, takes the next behaviour for its model, and plays it.
    func respond(to request: Request) async throws -> Response {
        var request = request
        let buffer = try await request.collectBody(upTo: 16 * 1024 * 1024)
        let bodyData = Data(buffer.readableBytesView)
        let wire = try? JSONDecoder().decode(WireRequest.self, from: bodyData)
        let received = StubLLMServer.ReceivedRequest(
            model: wire?.model ?? "",
            messages: wire?.messages.map { message in
                LLMRequest.Message(
                    role: message.role, content: message.content ?? "",
                    toolCalls: message.toolCalls?.map {
                        LLMToolCall(id: $0.id, name: $0.function.name, arguments: $0.function.arguments)
                    }, toolCallID: message.toolCallID)
            } ?? [],
            tools: wire?.tools?.map {
                LLMToolDefinition(
                    name: $0.function.name, description: $0.function.description ?? "",
                    parameters: $0.function.parameters ?? .null)
            } ?? [],
            toolChoice: wire?.toolChoice,
            parallelToolCalls: wire?.parallelToolCalls,
            maxTokens: wire?.maxTokens,
            temperature: wire?.temperature,
            stream: wire?.stream ?? false,
            includeUsage: wire?.streamOptions?.includeUsage ?? false,
            authorization: request.headers[.authorization],
            path: request.uri.path,
            body: String(decoding: bodyData, as: UTF8.self)
        )
        var arrival: Latch?
        let (requestIndex, behaviour): (Int, StubLLMServer.Behaviour?) = state.withLock { state in
            state.received.append(received)
            arrival = state.arrivals.removeValue(forKey: state.received.count)
            let index = state.received.count - 1
            guard wire != nil else { return (index, nil) }
            if var script = state.scripts[received.model], !script.isEmpty {
                let next = script.removeFirst()
                state.scripts[received.model] = script
                return (index, next)
            }
            if !state.anyModel.isEmpty { return (index, state.anyModel.removeFirst()) }
            return (index, defaultBehaviour)
        }
        arrival?.open()
        guard let behaviour else {
            return Self.json(status: 400, #"{"error":{"message":"not a chat-completions request"}}"#)
        }
        return try await play(behaviour, for: Call(received: received, index: requestIndex, request: request))
    }

    /// One call being answered: what was received, its position in `received`, and the Hummingbird request (whose
    /// inbound stream tells a streamed answer that the client has closed).
    private struct Call {
        var received: StubLLMServer.ReceivedRequest
        var index: Int
        var request: Request
    }

    private func play(_ behaviour: StubLLMServer.Behaviour, for call: Call) async throws -> Response {
        let request = call.received
        switch behaviour {
        case .answer(let content, let promptTokens, let completionTokens) where request.stream:
            return stream(
                StubLLMServer.StreamStep.answer(
                    content, promptTokens: promptTokens, completionTokens: completionTokens), for: call)
        case .answer(let content, let promptTokens, let completionTokens):
            return try completion(content, model: request.model, promptTokens, completionTokens)
        case .reply(let makeContent) where request.stream:
            return stream(StubLLMServer.StreamStep.answer(makeContent(request)), for: call)
        case .reply(let makeContent):
            return try completion(makeContent(request), model: request.model, 11, 7)
        case .status(let status, let body):
            return Self.json(status: status, body ?? #"{"error":{"message":"stub status \#(status)"}}"#)
        case .garbage(let body):
            return Self.json(status: 200, body)
        case .delay(let delay, let then):
            // Ends early (the call then fails) when the stub shuts down, so that a pending delay never holds it up.
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
            return try await play(then, for: call)
        case .toolCalls(let calls, let content) where request.stream:
            return stream(StubLLMServer.StreamStep.answer(content ?? "", toolCalls: calls), for: call)
        case .toolCalls(let calls, let content):
            return try completion(content, toolCalls: calls, model: request.model, 11, 7)
        case .decide(let decide):
            return try await play(decide(request), for: call)
        case .stream(let steps):
            return stream(steps, for: call)
        }
    }

    private func stream(_ steps: [StubLLMServer.StreamStep], for call: Call) -> Response {
        player.response(playing: steps, requestIndex: call.index, model: call.received.model, request: call.request)
    }

    private func completion(
        _ content: String?, toolCalls: [LLMToolCall] = [], model: String, _ promptTokens: Int,
        _ completionTokens: Int
    ) throws -> Response {
        struct Body: Encodable {
            struct Choice: Encodable {
                struct Message: Encodable {
                    var role = "assistant"
                    var content: String?
                    var tool_calls: [ToolCall]?

                    func encode(to encoder: any Encoder) throws {
                        var container = encoder.container(keyedBy: CodingKeys.self)
                        try container.encode(role, forKey: .role)
                        try container.encode(content, forKey: .content)
                        try container.encodeIfPresent(tool_calls, forKey: .tool_calls)
                    }

                    enum CodingKeys: String, CodingKey {
                        case role, content, tool_calls
                    }
                }

                var index = 0
                var message: Message
                var finish_reason: String
            }

            struct ToolCall: Encodable {
                struct Function: Encodable {
                    var name: String
                    var arguments: String
                }

                var id: String
                var type = "function"
                var function: Function
            }

            struct Usage: Encodable {
                var prompt_tokens: Int
                var completion_tokens: Int
                var total_tokens: Int
            }

            var id: String
            var object = "chat.completion"
            var created = 0
            var model: String
            var choices: [Choice]
            var usage: Usage
        }
        let number = answers.add(1, ordering: .relaxed).newValue
        let calls = toolCalls.map {
            Body.ToolCall(id: $0.id, function: .init(name: $0.name, arguments: $0.arguments))
        }
        let body = Body(
            id: "chatcmpl-stub-\(number)", model: model,
            choices: [
                .init(
                    message: .init(content: content, tool_calls: calls.isEmpty ? nil : calls),
                    finish_reason: calls.isEmpty ? "stop" : "tool_calls")
            ],
            usage: .init(
                prompt_tokens: promptTokens, completion_tokens: completionTokens,
                total_tokens: promptTokens + completionTokens))
        let data = try JSONEncoder().encode(body)
        return Self.json(status: 200, String(decoding: data, as: UTF8.self))
    }

    private static func json(status: Int, _ body: String) -> Response {
        Response(
            status: HTTPResponse.Status(code: status),
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body))
        )
    }
}
