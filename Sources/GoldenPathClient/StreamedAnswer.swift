/// A run's answer rebuilt from its frames as it streams (SPEC section 5): the `agent_response_delta` frames of each
/// `response_id` joined in `chunk_index` order, a response dropped by its `agent_response_reset`, and the answer
/// the text of the latest response that was not reset — until `run_completed` brings the `final_response`.
///
/// Frames may arrive out of order — a new connection can receive live frames before its `resume` re-sends the
/// older ones, even the terminal frame before a reset — so nothing is dropped for arriving late: frames seen twice
/// change nothing, and a delta that arrives ahead of its `chunk_index` is held until the ones before it arrive
/// (its response is incomplete until then).
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
        /// The lowest `seq` seen of its frames: responses are ordered by it, not by arrival.
        public var firstSeq: Int64
        /// Deltas that arrived ahead of `nextChunkIndex`, by chunk index.
        public var heldBack: [Int: String]

        /// False while a delta is held back: ``text`` is not yet all that was received.
        public var isComplete: Bool { heldBack.isEmpty }
    }

    /// What one frame changed.
    public enum Update: Sendable, Hashable {
        /// `text` was appended to the response `responseID`.
        case appended(responseID: String, text: String)
        /// The response was reset: its text is not the answer.
        case reset(responseID: String, reason: String)
        /// A delta arrived ahead of `expected` and is held back until the ones before it arrive.
        case gap(responseID: String, expected: Int, received: Int)
        /// The run ended; `finalResponse` is the answer when it completed.
        case ended(finalResponse: String?)
    }

    /// The run whose frames count.
    public let runID: String
    /// Every response, in journal order (by the `seq` of its first frame).
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

    /// Folds one frame in, whenever it arrives; frames of other runs and frames that change nothing answer nil.
    @discardableResult
    public mutating func apply(_ frame: ServerFrame) -> Update? {
        guard let event = frame.event, event.runID == runID else { return nil }
        switch frame {
        case .agentResponseDelta(let delta):
            guard let responseID = delta.responseID, let chunk = delta.chunkIndex else { return nil }
            let index = responseIndex(responseID, agentName: delta.agentName, seq: delta.seq)
            var response = responses[index]
            guard chunk >= response.nextChunkIndex, response.heldBack[chunk] == nil else { return nil }
            guard chunk == response.nextChunkIndex else {
                response.heldBack[chunk] = delta.delta ?? ""
                responses[index] = response
                return .gap(responseID: responseID, expected: response.nextChunkIndex, received: chunk)
            }
            var text = delta.delta ?? ""
            response.nextChunkIndex += 1
            while let next = response.heldBack.removeValue(forKey: response.nextChunkIndex) {
                text += next
                response.nextChunkIndex += 1
            }
            response.text += text
            responses[index] = response
            return response.resetReason == nil ? .appended(responseID: responseID, text: text) : nil
        case .agentResponseReset(let reset):
            guard let responseID = reset.responseID else { return nil }
            let index = responseIndex(responseID, agentName: reset.agentName, seq: reset.seq)
            guard responses[index].resetReason == nil else { return nil }
            let reason = reset.reason ?? "unknown"
            responses[index].resetReason = reason
            return .reset(responseID: responseID, reason: reason)
        case .runCompleted(let completed):
            guard !hasEnded else { return nil }
            hasEnded = true
            finalResponse = completed.finalResponse
            return .ended(finalResponse: completed.finalResponse)
        case .runFailed, .runCancelled:
            guard !hasEnded else { return nil }
            hasEnded = true
            return .ended(finalResponse: nil)
        default:
            return nil
        }
    }

    /// The index of the response `id` (created, in seq order, when new).
    private mutating func responseIndex(_ id: String, agentName: String?, seq: Int64) -> Int {
        if let index = responses.firstIndex(where: { $0.id == id }) {
            if seq < responses[index].firstSeq {
                responses[index].firstSeq = seq
                responses.sort { $0.firstSeq < $1.firstSeq }
                return responses.firstIndex { $0.id == id } ?? index
            }
            return index
        }
        let response = Response(
            id: id, agentName: agentName, text: "", nextChunkIndex: 0, resetReason: nil, firstSeq: seq, heldBack: [:])
        let index = responses.firstIndex { $0.firstSeq > seq } ?? responses.count
        responses.insert(response, at: index)
        return index
    }
}
