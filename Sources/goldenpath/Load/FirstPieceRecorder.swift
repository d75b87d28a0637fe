import AgentRuntime
import Foundation
import Synchronization

/// `bench load`'s model when it streams: the scripted model, streaming at a pace, that notes the instant each load
/// message's answer sent its first piece — the "model's first token" of the time to first delta.
///
/// A load message is named by its tag (`load 3-7`, from the `(load 3-7)` every `bench load` message ends with),
/// which the pipeline passes on to the model in the prompt's `Request:` line. The instant is read on the
/// `ContinuousClock` of this process just before the piece is handed to the runtime; the load users, in the same
/// process, read the same clock when the run's first `agent_response_delta` frame arrives.
final class FirstPieceRecorder: LLMClient {
    private let model: ScriptedLLM
    private let firstPieces = Mutex<[String: ContinuousClock.Instant]>([:])

    /// Streams with `streaming`.
    init(streaming: ScriptedLLM.Streaming) {
        model = ScriptedLLM(streaming: streaming)
    }

    var modelName: String { model.modelName }

    func complete(_ request: LLMRequest) async throws -> LLMResponse {
        try await model.complete(request)
    }

    func stream(_ request: LLMRequest, handler: @escaping LLMStreamHandler) async throws -> LLMResponse {
        guard let tag = Self.tag(in: request) else { return try await model.stream(request, handler: handler) }
        return try await model.stream(request) { event in
            if case .delta = event { self.noteFirstPiece(tag: tag, at: .now) }
            handler(event)
        }
    }

    private func noteFirstPiece(tag: String, at instant: ContinuousClock.Instant) {
        firstPieces.withLock { if $0[tag] == nil { $0[tag] = instant } }
    }

    /// When the first piece of the answer to the message tagged `tag` left the model, if it did.
    func firstPiece(tag: String) -> ContinuousClock.Instant? {
        firstPieces.withLock { $0[tag] }
    }

    /// The message tag of a load message (`load 3-7`) in the request's last user message.
    static func tag(in request: LLMRequest) -> String? {
        guard let prompt = request.messages.last(where: { $0.role == "user" })?.content,
            let open = prompt.range(of: "(load ", options: .backwards),
            let close = prompt[open.upperBound...].firstIndex(of: ")")
        else { return nil }
        return String(prompt[prompt.index(after: open.lowerBound)..<close])
    }

    /// The tag of load message `number` of user `user`, as ``tag(in:)`` finds it.
    static func tag(user: Int, number: Int) -> String { "load \(user)-\(number)" }
}
