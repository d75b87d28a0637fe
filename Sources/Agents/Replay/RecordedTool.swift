import Journal
import Synchronization

/// A tool that answers from a recording instead of doing its work: the `tool_completed` events of its name, in
/// order. The seam `replay --verify` uses to feed recorded tool outputs back to today's code, and start-up recovery
/// uses to resume a run without doing again the work it journaled (past the recording, the live tool runs).
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
    let live: (any Tool)?

    /// A recorded stand-in for the tool named `name`.
    public init(name: String, outputs: Outputs) {
        self.name = name
        self.outputs = outputs
        self.live = nil
    }

    /// A stand-in that gives the recorded outputs of `live`'s name first, then runs `live`.
    public init(outputs: Outputs, continuingWith live: any Tool) {
        self.name = live.name
        self.outputs = outputs
        self.live = live
    }

    /// Returns the next recorded result; throws the recorded error; waits out a recorded timeout. Past the
    /// recording, runs the live tool when there is one.
    /// - Throws: ``ToolError`` as recorded, or `TOOL_FAILED` when the recording has no output left and there is no
    ///   live tool; the live tool's errors.
    public func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        guard let output = outputs.next(of: name) else {
            if let live { return try await live.execute(parameters, context: context) }
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
