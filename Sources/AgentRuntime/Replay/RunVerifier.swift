import Foundation
import Journal
import Logging
import Synchronization

/// `replay --verify`: re-executes a recorded run with today's code in a scratch copy of the journal (SQLite's
/// online backup, or for another backend its events appended to a temporary SQLite journal), feeding back
/// the recorded LLM answers (``RecordedLLM``) and tool outputs (``RecordedTool``), and compares the events it
/// produces with the recorded ones (``ComparedEvent``). The journal verified is only read (its online backup).
public struct RunVerifier: Sendable {
    /// The code under test: the pipeline as today's server would run it.
    let pipeline: any PipelineExecution
    /// Limits and tool replacements, as today's server would use them.
    public var configuration: AgentsConfiguration
    /// Run every tool with today's code instead of its recorded output (the LLM stays recorded).
    public var liveTools = false
    /// Where scratch copies go (default: the system's temporary directory); each is removed afterwards.
    public var scratchDirectory: URL = FileManager.default.temporaryDirectory
    /// Where the re-execution logs (default: nowhere).
    public var logger = Logger(label: "goldenpath.replay", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Creates a verifier for today's code: `pipeline` with `configuration`.
    public init<State>(pipeline: Pipeline<State>, configuration: AgentsConfiguration = AgentsConfiguration()) {
        self.pipeline = pipeline
        self.configuration = configuration
    }

    /// Re-executes the run `runID` of `journal` in a scratch copy and compares.
    /// - Throws: ``RunStateError`` (`unknownRun`) when the journal has no such run or the run has no
    ///   `user_message`; `JournalError` when the copy cannot be made; ``AgentsError`` when the run cannot be
    ///   resubmitted.
    public func verify(runID: String, in journal: EventJournal) async throws -> VerificationReport {
        // A run resumed after a restart carries `run_recovery` where its re-execution caught up; a fresh execution
        // has none, so it is left out of the comparison (the events around it must match all the same).
        let recorded = try await journal.stream(EventStreams.run(runID)).filter {
            $0.type != EventType.runRecovery.rawValue
        }
        guard let first = recorded.first, case .userMessage(let message) = try AgentEvent(recorded: first),
            let userID = first.userID
        else {
            throw RunStateError(code: .unknownRun, message: "the journal has no run \(runID) with a user_message")
        }
        let directory = scratchDirectory.appendingPathComponent("goldenpath-replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let scratchPath = directory.appendingPathComponent("scratch.sqlite").path
        // An SQLite journal is copied as a file; another backend's events are appended to a new SQLite file.
        if journal.canBackUp { try await journal.backup(to: scratchPath) }
        var scratchConfiguration = journal.configuration
        scratchConfiguration.readOnly = false
        scratchConfiguration.durability = .normal
        let scratch = try EventJournal(path: scratchPath, configuration: scratchConfiguration)
        do {
            if !journal.canBackUp { try await journal.copyEvents(into: scratch) }
            let replayed = try await reexecute(
                recorded: recorded, message: message, userID: userID, connectionID: first.connectionID,
                in: scratch)
            try scratch.close()
            let expected = ComparedEvent.steps(of: recorded)
            let actual = ComparedEvent.steps(of: replayed.events)
            return VerificationReport(
                runID: runID, replayRunID: replayed.runID, expectedCount: expected.count, actualCount: actual.count,
                divergence: Divergence.first(expected: expected, actual: actual))
        } catch {
            try? scratch.close()
            throw error
        }
    }

    /// Submits the recorded message again to a coordinator over the scratch journal and collects the new run.
    private func reexecute(
        recorded: [RecordedEvent], message: UserMessage, userID: String, connectionID: String?,
        in scratch: EventJournal
    ) async throws -> (runID: String, events: [RecordedEvent]) {
        let terminal = recorded.last.flatMap { try? AgentEvent(recorded: $0) }
        let stop = StopPlan(terminal)
        let recordedSteps = recorded.count { !EventType.streamedAnswerTypes.contains($0.type) }
        let waits = stop != nil
        var configuration = configuration
        configuration.shutdownGracePeriod = .zero
        let ids = ReplayIDs(prefix: "\(message.runID)-replay")
        configuration.makeID = { ids.next() }
        if !liveTools {
            let outputs = try RecordedTool.Outputs(recording: recorded, waitsWhenExhausted: waits)
            let live = Self.toolsCallingTheLLM(in: recorded)
            let tools = pipeline.tools.overlaid(by: configuration.tools)
            for name in tools.names where !live.contains(name) {
                guard let tool = tools[name] else { continue }
                configuration.tools = configuration.tools.replacing(RecordedTool(outputs: outputs, standingFor: tool))
            }
        }
        let llm = try RecordedLLM(recording: recorded, waitsWhenExhausted: waits)
        let coordinator = RunCoordinator(
            journal: scratch, execution: pipeline, llm: llm, configuration: configuration, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await coordinator.run() }
            do {
                let acceptance = try await coordinator.submit(
                    IncomingMessage(
                        userID: userID, content: message.content, threadID: message.threadID, clientMessageID: nil,
                        connectionID: connectionID))
                var events: [RecordedEvent] = []
                var steps = 0
                for try await event in scratch.subscribe(filter: .stream(EventStreams.run(acceptance.runID))) {
                    events.append(event)
                    if EventType(rawValue: event.type)?.isTerminal == true { break }
                    guard !EventType.streamedAnswerTypes.contains(event.type) else { continue }
                    steps += 1
                    if let stop, steps == recordedSteps - 1 {
                        try await stop.apply(to: coordinator, runID: acceptance.runID, userID: userID)
                    }
                }
                coordinator.beginShutdown()
                try await group.waitForAll()
                return (acceptance.runID, events)
            } catch {
                coordinator.beginShutdown()
                group.cancelAll()
                throw error
            }
        }
    }

    /// The tools that called the language model in the recording (their `llm_request` is caused by the tool's
    /// `tool_executing`): those run with today's code, fed by ``RecordedLLM``.
    static func toolsCallingTheLLM(in events: [RecordedEvent]) -> Set<String> {
        var toolBySeq: [Int64: String] = [:]
        var names: Set<String> = []
        for event in events {
            switch try? AgentEvent(recorded: event) {
            case .toolExecuting(let executing):
                toolBySeq[event.seq] = executing.toolName
            case .llmRequest:
                if let cause = event.causationSeq, let tool = toolBySeq[cause] { names.insert(tool) }
            default:
                continue
            }
        }
        return names
    }
}

/// How a recorded run was stopped from outside, to stop the re-execution at the same point.
enum StopPlan: Sendable {
    /// `stop_agent`: the run ended `run_cancelled`.
    case cancel
    /// Shutdown: the run ended `run_failed {INTERRUPTED}`.
    case interrupt

    init?(_ terminal: AgentEvent?) {
        switch terminal {
        case .runCancelled: self = .cancel
        case .runFailed(let failed) where failed.errorCode == "INTERRUPTED": self = .interrupt
        default: return nil
        }
    }

    func apply(to coordinator: RunCoordinator, runID: String, userID: String) async throws {
        switch self {
        case .cancel:
            do {
                try await coordinator.stop(runID: runID, userID: userID)
            } catch let error as AgentsError where error.code == .runAlreadyEnded {
                return  // It ended on its own first: the comparison shows how.
            }
        case .interrupt:
            coordinator.beginShutdown()
        }
    }
}

/// Deterministic ids for a re-execution: `<prefix>-1`, `<prefix>-2`, …
final class ReplayIDs: Sendable {
    private let prefix: String
    private let counter = Mutex(0)

    init(prefix: String) {
        self.prefix = prefix
    }

    func next() -> String {
        let value = counter.withLock { counter in
            counter += 1
            return counter
        }
        return "\(prefix)-\(value)"
    }
}
