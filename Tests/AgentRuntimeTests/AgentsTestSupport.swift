import AgentRuntime
import Foundation
import Journal
import StandardPipeline
import Logging
import Testing

/// A fresh journal (with the Agents schema, projections and checks) in its own temporary directory.
struct AgentsTestJournal {
    let directory: URL
    let path: String

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("goldenpath-agents-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("journal.sqlite").path
    }

    func open(extraProjections: [any JournalProjection] = []) throws -> EventJournal {
        var configuration = JournalConfiguration()
        configuration.durability = .normal
        AgentsJournal.configure(&configuration)
        configuration.inlineProjections += extraProjections
        return try EventJournal(path: path, configuration: configuration)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A coordinator running (its `run()` in a task group) over a fresh journal, for one test.
struct AgentsHarness {
    let journal: EventJournal
    let coordinator: RunCoordinator
    let llm: ScriptedLLM

    /// Submits a message and returns its acceptance.
    func send(_ content: String, user: String = "alice", thread: String? = nil, clientMessageID: String? = nil)
        async throws -> MessageAcceptance
    {
        try await coordinator.submit(
            IncomingMessage(userID: user, content: content, threadID: thread, clientMessageID: clientMessageID))
    }

    /// The run's events up to and including its terminal event, awaited on a journal subscription.
    func eventsUntilEnd(of runID: String) async throws -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        for try await event in journal.subscribe(filter: .stream(EventStreams.run(runID))) {
            events.append(event)
            if AgentEvent.terminalTypes.contains(event.type) { break }
        }
        return events
    }

    /// The first event of the run that satisfies `predicate`, awaited on a journal subscription.
    func firstEvent(of runID: String, where predicate: (RecordedEvent) -> Bool) async throws -> RecordedEvent? {
        for try await event in journal.subscribe(filter: .stream(EventStreams.run(runID))) where predicate(event) {
            return event
        }
        return nil
    }

    /// Sends a message and returns its run's events once it has ended.
    func runToEnd(_ content: String, user: String = "alice") async throws -> [RecordedEvent] {
        let acceptance = try await send(content, user: user)
        return try await eventsUntilEnd(of: acceptance.runID)
    }
}

/// Runs `body` with a running coordinator over a fresh journal; shuts it down gracefully and closes the journal.
func withCoordinator<T: Sendable>(
    llm: ScriptedLLM = ScriptedLLM(),
    pipeline: StandardPipeline.Options = StandardPipeline.Options(),
    extraProjections: [any JournalProjection] = [],
    _ configure: (inout AgentsConfiguration) -> Void = { _ in },
    _ body: @Sendable (AgentsHarness) async throws -> T
) async throws -> T {
    try await withCoordinator(
        model: llm, scripted: llm, pipeline: pipeline, extraProjections: extraProjections, configure, body)
}

/// ``withCoordinator(llm:pipeline:extraProjections:_:_:)`` with any model (the harness's `llm` is then `scripted`,
/// unused by the run).
func withCoordinator<T: Sendable>(
    model: any LLMClient, scripted: ScriptedLLM = ScriptedLLM(),
    pipeline: StandardPipeline.Options = StandardPipeline.Options(),
    extraProjections: [any JournalProjection] = [],
    _ configure: (inout AgentsConfiguration) -> Void = { _ in },
    _ body: @Sendable (AgentsHarness) async throws -> T
) async throws -> T {
    let file = try AgentsTestJournal()
    defer { file.remove() }
    let journal = try file.open(extraProjections: extraProjections)
    var configuration = AgentsConfiguration()
    configure(&configuration)
    let coordinator = RunCoordinator(
        journal: journal, pipeline: StandardPipeline.make(pipeline), llm: model, configuration: configuration,
        logger: Logger(label: "agents-tests", factory: { _ in SwiftLogNoOpLogHandler() }))
    let harness = AgentsHarness(journal: journal, coordinator: coordinator, llm: scripted)
    do {
        let result = try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await coordinator.run()
                return nil
            }
            let result = try await body(harness)
            coordinator.beginShutdown()
            try await group.waitForAll()
            return result
        }
        try journal.close()
        return result
    } catch {
        try? journal.close()
        throw error
    }
}

/// One line per event: its type, then its agent and tool when it has them (`tool_executing data extract_metrics`).
func describe(_ events: [RecordedEvent]) -> [String] {
    events.map { event in
        let decoded = try? AgentEvent(recorded: event)
        var parts = [event.type]
        if let agent = decoded?.agentName { parts.append(agent) }
        switch decoded {
        case .toolExecuting(let payload): parts.append(payload.toolName)
        case .toolCompleted(let payload): parts.append(payload.toolName)
        default: break
        }
        return parts.joined(separator: " ")
    }
}

/// The lines of one agent's frame: started, thinking, each tool's executing/completed, completed.
func agentBlock(_ agent: String, tools: [String] = [], llm: Bool = false) -> [String] {
    var lines = ["agent_started \(agent)", "agent_thinking \(agent)"]
    for tool in tools {
        lines.append("tool_executing \(agent) \(tool)")
        if llm { lines += ["llm_request \(agent)", "agent_response_delta \(agent)", "llm_response \(agent)"] }
        lines.append("tool_completed \(agent) \(tool)")
    }
    lines.append("agent_completed \(agent)")
    return lines
}

/// The whole expected sequence of a run whose sub-agent lines are `middle`.
func runSequence(_ middle: [String], terminal: String = "run_completed") -> [String] {
    ["user_message", "message_received", "agent_started supervisor", "agent_thinking supervisor"] + middle
        + ["agent_completed supervisor", terminal]
}

/// The decoded payloads of the events of one type.
func payloads<T>(_ events: [RecordedEvent], _ extract: (AgentEvent) -> T?) -> [T] {
    events.compactMap { try? AgentEvent(recorded: $0) }.compactMap(extract)
}

/// A tool that fails every call.
struct FailingTool: Tool {
    let name: String
    func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        throw ToolError(code: .failed, message: "injected failure")
    }
}

/// A tool that never finishes until cancelled.
struct BlockingTool: Tool {
    let name: String
    func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        try await Task.sleep(for: .seconds(3_600))
        return .null
    }
}

/// Messages with 2, 1 and 0 figures: the three triage paths.
enum Messages {
    static let sufficient = "Our cloud bill is $12,000 a month for 40 servers. How can we cut the cost?"
    static let partial = "Our API latency is 450 ms. How do we make it faster?"
    static let insufficient = "How can we make our service cheaper to run?"
}
