import GoldenPathClient
import Testing

/// ``StreamedAnswer`` folds frames in whatever order they arrive (live frames can come before `resume`'s re-sends).
@Suite("Streamed answer")
struct StreamedAnswerTests {
    static func delta(_ seq: Int, _ response: String, _ chunk: Int, _ text: String) throws -> ServerFrame {
        try ServerFrame(
            parsing: #"{"type":"agent_response_delta","seq":\#(seq),"run_id":"run","agent_name":"reporting","response_id":"\#(response)","chunk_index":\#(chunk),"delta":"\#(text)"}"#)
    }

    static func reset(_ seq: Int, _ response: String, _ reason: String) throws -> ServerFrame {
        try ServerFrame(
            parsing: #"{"type":"agent_response_reset","seq":\#(seq),"run_id":"run","agent_name":"reporting","response_id":"\#(response)","reason":"\#(reason)"}"#)
    }

    static func completed(_ seq: Int, _ answer: String) throws -> ServerFrame {
        try ServerFrame(
            parsing: #"{"type":"run_completed","seq":\#(seq),"run_id":"run","status":"completed","final_response":"\#(answer)","degraded":false}"#)
    }

    @Test("in order: deltas join, a reset drops its response, the final response is the answer")
    func inOrder() throws {
        var answer = StreamedAnswer(runID: "run")
        #expect(answer.apply(try Self.delta(1, "r1", 0, "Hal")) == .appended(responseID: "r1", text: "Hal"))
        #expect(answer.apply(try Self.reset(2, "r1", "retry")) == .reset(responseID: "r1", reason: "retry"))
        #expect(answer.text == nil)
        answer.apply(try Self.delta(3, "r2", 0, "Whole "))
        answer.apply(try Self.delta(4, "r2", 1, "answer"))
        #expect(answer.text == "Whole answer")
        #expect(answer.apply(try Self.completed(5, "Whole answer")) == .ended(finalResponse: "Whole answer"))
        #expect(answer.streamedText == "Whole answer")
    }

    @Test("out of order and twice: a delta ahead of its turn is held; a reset after the terminal still counts")
    func outOfOrder() throws {
        var answer = StreamedAnswer(runID: "run")
        // Live frames first (the resumed run's new answer and its end), then resume's re-sends of older ones.
        answer.apply(try Self.delta(7, "r2", 1, "answer"))
        #expect(answer.responses.first?.isComplete == false)
        #expect(answer.apply(try Self.delta(6, "r2", 0, "Whole ")) == .appended(responseID: "r2", text: "Whole answer"))
        answer.apply(try Self.completed(9, "Whole answer"))
        answer.apply(try Self.delta(1, "r1", 0, "Cut "))
        answer.apply(try Self.reset(5, "r1", "recovery"))
        answer.apply(try Self.delta(6, "r2", 0, "Whole "))  // seen twice: nothing changes
        #expect(answer.responses.map(\.id) == ["r1", "r2"])  // journal order, not arrival order
        #expect(answer.responses.map(\.resetReason) == ["recovery", nil])
        #expect(answer.streamedText == "Whole answer")
        #expect(answer.text == "Whole answer")
        #expect(answer.responses.allSatisfy(\.isComplete) == true)
    }

    @Test("frames of another run change nothing")
    func otherRun() throws {
        var answer = StreamedAnswer(runID: "another")
        #expect(answer.apply(try Self.delta(1, "r1", 0, "x")) == nil)
        #expect(answer.responses.isEmpty)
    }
}
