import Journal
import Synchronization

/// A tool that answers from a recording instead of doing its work: the outcome journaled for the run's tool call
/// at the same position (``ToolContext/callIndex``). The seam `replay --verify` uses to feed recorded tool outputs
/// back to today's code, and start-up recovery uses to resume a run without doing again the work it journaled
/// (past the recording, the live tool runs). Matching by position, not by name, keeps concurrent calls of one
/// tool in one model turn apart.
public struct RecordedTool: Tool {
    /// The recorded outcomes of a run's tool calls, in `tool_executing` order.
    public final class Outputs: Sendable {
        /// One recorded outcome.
        public struct Output: Sendable, Hashable {
            /// The tool called.
            public var toolName: String
            /// `success`, `error` or `timeout`.
            public var status: ToolStatus
            /// The results as journaled.
            public var results: JSONValue
        }

        /// By call position; nil for a call journaled without its `tool_completed` (it runs again).
        private let outputs: [Output?]
        let waitsWhenExhausted: Bool

        /// Outcomes from a run's `tool_executing` and `tool_completed` events.
        /// - Throws: ``AgentEventError`` when an event does not decode.
        public init(recording events: [RecordedEvent], waitsWhenExhausted: Bool = false) throws {
            var order: [String] = []
            var completed: [String: Output] = [:]
            for event in events {
                switch event.type {
                case EventType.toolExecuting.rawValue:
                    guard case .toolExecuting(let executing) = try AgentEvent(recorded: event) else { continue }
                    order.append(executing.executionID)
                case EventType.toolCompleted.rawValue:
                    guard case .toolCompleted(let done) = try AgentEvent(recorded: event) else { continue }
                    completed[done.executionID] = Output(
                        toolName: done.toolName, status: done.status, results: done.results)
                default:
                    continue
                }
            }
            self.outputs = order.map { completed[$0] }
            self.waitsWhenExhausted = waitsWhenExhausted
        }

        /// The recorded outcome of the call at `index`, if it was of `tool` and completed.
        func output(at index: Int, of tool: String) -> Output? {
            guard outputs.indices.contains(index), let output = outputs[index], output.toolName == tool else {
                return nil
            }
            return output
        }
    }

    /// The tool's name.
    public let name: String
    let outputs: Outputs
    let live: (any Tool)?
    /// The tool it stands for, whose description, schema, secrets and time limit it keeps: a model is offered
    /// the same definitions as when the run was recorded (they are journaled with the first request).
    let original: (any Tool)?

    /// A recorded stand-in for the tool named `name`.
    public init(name: String, outputs: Outputs) {
        self.name = name
        self.outputs = outputs
        self.live = nil
        self.original = nil
    }

    /// A recorded stand-in for `tool` that never runs it, but is offered to a model as `tool` is.
    public init(outputs: Outputs, standingFor tool: any Tool) {
        self.name = tool.name
        self.outputs = outputs
        self.live = nil
        self.original = tool
    }

    /// A stand-in that gives the recorded outputs of `live`'s name first, then runs `live`.
    public init(outputs: Outputs, continuingWith live: any Tool) {
        self.name = live.name
        self.outputs = outputs
        self.live = live
        self.original = live
    }

    /// The original tool's description.
    public var description: String { original?.description ?? "" }
    /// The original tool's parameters.
    public var parameters: JSONSchema { original?.parameters ?? .anyObject }
    /// The original tool's time limit.
    public var timeLimit: Duration? { original?.timeLimit }
    /// The original tool's secret parameters.
    public var secretParameters: Set<String> { original?.secretParameters ?? [] }

    /// Returns the next recorded result; throws the recorded error; waits out a recorded timeout. Past the
    /// recording, runs the live tool when there is one.
    /// - Throws: ``ToolError`` as recorded, or `TOOL_FAILED` when the recording has no output left and there is no
    ///   live tool; the live tool's errors.
    public func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        guard let output = outputs.output(at: context.callIndex, of: name) else {
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
