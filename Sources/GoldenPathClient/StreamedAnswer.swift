/// A run's answer rebuilt from its frames as it streams (SPEC section 5): the `agent_response_delta` frames of each
/// `response_id` joined in `chunk_index` order, a response dropped by its `agent_response_reset`, and the answer
/// the text of the latest response that was not reset — until `run_completed` brings the `final_response`.
///
/// Frames seen twice (a `resume` re-sends what came after `after_seq`) change nothing; a delta whose
/// `chunk_index` skips one marks its response incomplete instead of joining text out of order.
///
/// ```swift
/// var answer = StreamedAnswer(runID: ack.runID)
/// try await connection.awaitRunEnd(runID: ack.runID) { frame in
///     if case .appended(_, let text) = answer.apply(frame) { print(text, terminator: "") }
/// }
/// ```
public struct StreamedAnswer: Sendable, Hashable {
    /// One response's streamed text.
    public struct Response: Sendable, Hashable {
        /// Its `response_id`.
        public var id: String
        /// The agent that called the model.
        public var agentName: String?
        /// Its deltas, joined.
        public var text: String
        /// The `chunk_index` expected next.
        public var nextChunkIndex: Int
        /// The reset's `reason`, when it was reset.
        public var resetReason: String?
        /// False once a delta arrived out of order (a gap): its text is not the whole response.
        public var isComplete: Bool
    }

    /// What one frame changed.
    public enum Update: Sendable, Hashable {
        /// `text` was appended to the response `responseID`.
        case appended(responseID: String, text: String)
        /// The response was reset: its text is not the answer.
        case reset(responseID: String, reason: String)
        /// A delta skipped `expected` (frames were lost): the response is incomplete.
        case gap(responseID: String, expected: Int, received: Int)
        /// The run ended; `finalResponse` is the answer when it completed.
        case ended(finalResponse: String?)
    }

    /// The run whose frames count.
    public let runID: String
    /// Every response, in the order they began.
    public private(set) var responses: [Response] = []
    /// The run's `final_response`, once `run_completed` arrived.
    public private(set) var finalResponse: String?
    /// True once a terminal frame arrived.
    public private(set) var hasEnded = false

    /// An empty answer for `runID`.
    public init(runID: String) {
        self.runID = runID
    }

    /// The answer so far: the final response once the run completed, else the text of the latest response that
    /// was not reset (nil when there is none).
    public var text: String? {
        finalResponse ?? responses.last { $0.resetReason == nil }?.text
    }

    /// The text of the latest response that was not reset — what the deltas add up to (equal to the
    /// `final_response` when the run completed and its answer streamed).
    public var streamedText: String? {
        responses.last { $0.resetReason == nil }?.text
    }

    /// Folds one frame in; frames of other runs and frames that change nothing answer nil.
    @discardableResult
    public mutating func apply(_ frame: ServerFrame) -> Update? {
        guard let event = frame.event, event.runID == runID, !hasEnded else { return nil }
        switch frame {
        case .agentResponseDelta(let delta):
            guard let responseID = delta.responseID, let chunk = delta.chunkIndex else { return nil }
            let index = responseIndex(responseID, agentName: delta.agentName)
            guard responses[index].resetReason == nil, chunk >= responses[index].nextChunkIndex else { return nil }
            guard chunk == responses[index].nextChunkIndex else {
                let expected = responses[index].nextChunkIndex
                responses[index].isComplete = false
                responses[index].nextChunkIndex = chunk + 1
                return .gap(responseID: responseID, expected: expected, received: chunk)
            }
            let text = delta.delta ?? ""
            responses[index].text += text
            responses[index].nextChunkIndex += 1
            return .appended(responseID: responseID, text: text)
        case .agentResponseReset(let reset):
            guard let responseID = reset.responseID else { return nil }
            let index = responseIndex(responseID, agentName: reset.agentName)
            guard responses[index].resetReason == nil else { return nil }
            let reason = reset.reason ?? "unknown"
            responses[index].resetReason = reason
            return .reset(responseID: responseID, reason: reason)
        case .runCompleted(let completed):
            hasEnded = true
            finalResponse = completed.finalResponse
            return .ended(finalResponse: completed.finalResponse)
        case .runFailed, .runCancelled:
            hasEnded = true
            return .ended(finalResponse: nil)
        default:
            return nil
        }
    }

    private mutating func responseIndex(_ id: String, agentName: String?) -> Int {
        if let index = responses.firstIndex(where: { $0.id == id }) { return index }
        responses.append(
            Response(id: id, agentName: agentName, text: "", nextChunkIndex: 0, resetReason: nil, isComplete: true))
        return responses.count - 1
    }
}
