import AgentRuntime
import Synchronization

/// The frames and ending of one message, filled in by the WebSocket handler and read after it returns.
final class OutcomeBox: Sendable {
    private let state = Mutex(GoldenPathClient.Outcome(runID: nil, terminalType: nil, frames: []))

    func append(_ frame: JSONValue) { state.withLock { $0.frames.append(frame) } }
    func setRun(_ runID: String?) { state.withLock { $0.runID = runID } }
    func end(_ type: String) { state.withLock { $0.terminalType = type } }
    var outcome: GoldenPathClient.Outcome { state.withLock { $0 } }
}
