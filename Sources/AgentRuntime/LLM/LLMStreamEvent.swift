/// What a streaming ``LLMClient`` reports while it answers one request, in the order it happens.
///
/// A client reports ``attemptStarted(model:number:isFallback:)`` before each try (the first, every retry, the
/// fallback model) and ``delta(_:)`` for each piece of answer text the model sends. Text streamed by an attempt that
/// did not produce the answer is not part of it: the runtime announces that with `agent_response_reset`
/// (`retry` or `fallback`) and streams the next attempt under a new `response_id`.
public enum LLMStreamEvent: Sendable, Hashable {
    /// A try begins: `number` counts the tries of `model` from 1 (the fallback model starts at 1 again).
    case attemptStarted(model: String, number: Int, isFallback: Bool)
    /// A piece of the answer's text, as the model sent it (never empty).
    case delta(String)
}

/// Receives a streaming call's ``LLMStreamEvent``s. It must return quickly (it buffers; it does not journal): the
/// client calls it from the loop that reads the model's stream.
public typealias LLMStreamHandler = @Sendable (LLMStreamEvent) -> Void
