import Journal
import Synchronization

/// A tool that answers from a recording instead of doing its work: the `tool_completed` events of its name, in
/// order. The seam `replay --verify` uses to feed recorded tool outputs back to today's code.
public struct RecordedTool: Tool {
    /// The recorded outcomes of every tool of a run, by tool name, consumed in order.
    public final class Outputs: Sendable {
        /// One recorded outcome.
        public struct Output: Sendable, Hashable {
            /// `success`, `error` or `timeout`.
            public var status: ToolStatus
            /// The results as journaled.
            public var results: JSONValue
        }

        private let queues: Mutex<[String: [Output]]>
        let waitsWhenExhausted: Bool

        /// Outcomes from a run's `tool_completed` events.
        /// - Throws: ``AgentEventError`` when an event does not decode.
        public init(recording events: [RecordedEvent], waitsWhenExhausted: Bool = false) throws {
            var queues: [String: [Output]] = [:]
            for event in events where event.type == EventType.toolCompleted.rawValue {
                guard case .toolCompleted(let completed) = try AgentEvent(recorded: event) else { continue }
                queues[completed.toolName, default: []].append(
                    Output(status: completed.status, results: completed.results))
            }
            self.queues = Mutex(queues)
            self.waitsWhenExhausted = waitsWhenExhausted
        }

        func next(of tool: String) -> Output? {
            queues.withLock { queues in
                guard var queue = queues[tool], !queue.isEmpty else { return nil }
                let first = queue.removeFirst()
                queues[tool] = queue
                return first
            }
        }
    }

    /// The tool's name.
    public let name: String
    let outputs: Outputs

    /// A recorded stand-in for the tool named `name`.
    public init(name: String, outputs: Outputs) {
        self.name = name
        self.outputs = outputs
    }

    /// Returns the next recorded result; throws the recorded error; waits out a recorded timeout.
    /// - Throws: ``ToolError`` as recorded, or `TOOL_FAILED` when the recording has no output left.
    public func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        guard let output = outputs.next(of: name) else {
            if outputs.waitsWhenExhausted { try await Task.sleep(for: .seconds(86_400)) }
            throw ToolError(code: .failed, message: "the recording has no further output of \(name)")
        }
        switch output.status {
        case .success:
            return output.results
        case .error:
            let error = output.results["error"]
            throw ToolError(
                code: ToolError.Code(rawValue: error?["code"]?.stringValue ?? ToolError.Code.failed.rawValue),
                message: error?["message"]?.stringValue ?? "\(name) failed")
        case .timeout:
            // The original call ran out of time: wait until the time limit cancels this one too.
            try await Task.sleep(for: .seconds(86_400))
            throw ToolError(code: .failed, message: "\(name) did not finish")
        }
    }
}
