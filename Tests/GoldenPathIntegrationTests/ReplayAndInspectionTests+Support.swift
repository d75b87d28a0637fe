import AgentRuntime
import ChildProcessSupport
import Foundation
import Gateway
import Journal
import StandardPipeline
import Logging
import Testing

/// A temporary directory for one test, removed by ``remove()``.
struct ReplayScratch {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("goldenpath-replay-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A copy of the committed fixture journal (never the fixture itself).
    func copyOfFixture(named name: String = "golden-v1.sqlite") throws -> String {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(name)")
        let destination = path(name)
        try FileManager.default.copyItem(atPath: source.path, toPath: destination)
        return destination
    }
}

/// A journal with every layer (as the server opens it) and a running coordinator, for recording runs.
struct ReplayRecorder {
    let journal: EventJournal
    let coordinator: RunCoordinator

    /// Sends a message and waits for its run's terminal event; returns the run id.
    func run(_ content: String, user: String = "alice") async throws -> String {
        let accepted = try await coordinator.submit(IncomingMessage(userID: user, content: content))
        _ = try await eventsUntilEnd(of: accepted.runID)
        return accepted.runID
    }

    /// The run's events up to its terminal event, awaited on a subscription.
    func eventsUntilEnd(of runID: String) async throws -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        for try await event in journal.subscribe(filter: .stream(EventStreams.run(runID))) {
            events.append(event)
            if AgentEvent.terminalTypes.contains(event.type) { break }
        }
        return events
    }
}

let quietLogger = Logger(label: "replay-tests", factory: { _ in SwiftLogNoOpLogHandler() })

/// Records runs into a fresh journal file at `path` with a coordinator configured by `configure`; the journal is
/// closed when `body` returns.
func recordRuns<T: Sendable>(
    at path: String, llm: any LLMClient = ScriptedLLM(), _ configure: (inout AgentsConfiguration) -> Void = { _ in },
    _ body: @Sendable (ReplayRecorder) async throws -> T
) async throws -> T {
    let journal = try GoldenPathJournal.open(path: path, durability: .normal)
    var configuration = AgentsConfiguration()
    configure(&configuration)
    let coordinator = RunCoordinator(journal: journal, pipeline: StandardPipeline.make(), llm: llm, configuration: configuration, logger: quietLogger)
    do {
        let result = try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await coordinator.run()
                return nil
            }
            let result = try await body(ReplayRecorder(journal: journal, coordinator: coordinator))
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

/// Opens a journal file with every layer.
func withJournal<T: Sendable>(at path: String, _ body: (EventJournal) async throws -> T) async throws -> T {
    let journal = try GoldenPathJournal.open(path: path, durability: .normal)
    do {
        let result = try await body(journal)
        try journal.close()
        return result
    } catch {
        try? journal.close()
        throw error
    }
}

/// Requests with 2+, 1 and 0 figures: the three triage paths.
enum ReplayMessages {
    static let sufficient = "Our cloud bill is $12,000 a month for 40 servers. How can we cut the cost?"
    static let partial = "Our API latency is 450 ms. How do we make it faster?"
    static let insufficient = "How can we make our service cheaper to run?"

    /// (message, path, agents in start order).
    static let paths: [(String, String, [String])] = [
        (sufficient, "sufficient", ["supervisor", "triage", "data", "optimization", "actions", "reporting"]),
        (partial, "partial", ["supervisor", "triage", "data_helper", "data", "reporting"]),
        (insufficient, "insufficient", ["supervisor", "triage", "data_helper", "reporting"]),
    ]
}

/// A tool that fails every call.
struct AlwaysFailingTool: Tool {
    let name: String
    func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        throw ToolError(code: .failed, message: "injected failure")
    }
}

/// A tool that never finishes until cancelled.
struct NeverFinishingTool: Tool {
    let name: String
    func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        try await Task.sleep(for: .seconds(3_600))
        return .null
    }
}

/// What a child process printed and how it exited.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs a command line program to its end (a ``ChildProcess``: Foundation's `Process` can crash the test process).
func runProgram(_ executable: URL, _ arguments: [String]) async throws -> CommandResult {
    let result = try await ChildProcess.run(executable, arguments, environment: ["NO_COLOR": "1"])
    return CommandResult(status: result.status, stdout: result.standardOutput, stderr: result.standardError)
}

/// The `goldenpath` executable built beside the tests (as Tests/JournalTests/CrashSafetyTests.swift finds it).
var goldenpathExecutable: URL? {
    let candidates = [
        Bundle.main.bundleURL.appendingPathComponent("goldenpath"),
        Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("goldenpath"),
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/goldenpath"),
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
}

/// The `sqlite3` command-line program.
var sqlite3Executable: URL? {
    ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3", "/opt/homebrew/bin/sqlite3"].map(URL.init(fileURLWithPath:))
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }
}

/// Rows of a query run with the `sqlite3` program in JSON mode.
func sqlite3Rows(_ database: String, _ sql: String) async throws -> [[String: JSONValue]] {
    let sqlite3 = try #require(sqlite3Executable, "the sqlite3 command-line program is needed")
    let result = try await runProgram(sqlite3, ["-json", "-readonly", database, sql])
    #expect(result.status == 0, "sqlite3 failed: \(result.stderr)")
    let text = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !text.isEmpty else { return [] }
    let value = try JSONValue(parsing: text)
    return (value.arrayValue ?? []).compactMap(\.objectValue)
}

/// Writes a synthetic run of `eventCount` events (user_message, …, run_completed) into a fresh journal at `path`
/// and returns its run id: the replay fold's benchmark input.
func writeSyntheticRun(at path: String, eventCount: Int) async throws -> String {
    let runID = "synthetic-run"
    try await withJournal(at: path) { journal in
        let meta = { (index: Int, cause: Int64?) in
            EventMetadata(
                eventID: "\(runID):\(index)", userID: "bench-user", threadID: "bench-thread", runID: runID,
                causationSeq: cause, correlationID: runID)
        }
        var events: [NewEvent] = [
            try AgentEvent.userMessage(
                UserMessage(
                    content: "Our cloud bill is $12,000 a month for 40 servers.", clientMessageID: nil,
                    threadID: "bench-thread", runID: runID)
            ).newEvent(meta(1, nil)),
            try AgentEvent.messageReceived(
                MessageReceived(clientMessageID: nil, threadID: "bench-thread", runID: runID)
            )
            .newEvent(meta(2, nil)),
            try AgentEvent.agentStarted(
                AgentStarted(
                    agentName: "supervisor", taskDescription: "Answer the user's request", instanceID: "i-0")
            )
            .newEvent(meta(3, nil)),
        ]
        var index = 4
        while index < eventCount {
            let agent = "agent-\(index / 10)"
            let step: AgentEvent
            switch index % 5 {
            case 0:
                step = .agentThinking(AgentThinking(agentName: agent, reasoning: "Step \(index)", stepNumber: index))
            case 1:
                step = .toolExecuting(
                    ToolExecuting(
                        agentName: agent, toolName: "extract_metrics",
                        parameters: ["request": .string("figures \(index)")],
                        executionID: "x-\(index)"))
            case 2:
                step = .toolCompleted(
                    ToolCompleted(
                        agentName: agent, toolName: "extract_metrics", executionID: "x-\(index - 1)", status: .success,
                        results: ["count": 2, "metrics": .array([.string("$12,000"), .string("40 servers")])],
                        durationMs: 3))
            case 3:
                step = .llmRequest(
                    LLMRequested(
                        agentName: agent, purpose: "llm_report_generation", model: "scripted-1",
                        messages: [LLMRequest.Message(role: "user", content: "Request \(index)")]))
            default:
                step = .llmResponse(
                    LLMResponded(
                        agentName: agent,
                        response: LLMResponse(
                            content: "Answer \(index)", model: "scripted-1", promptTokens: 12, completionTokens: 40,
                            latencyMs: 5,
                            attempts: [LLMAttempt(model: "scripted-1", number: 1, outcome: "success", latencyMs: 5)])))
            }
            events.append(try step.newEvent(meta(index, nil)))
            index += 1
        }
        events.append(
            try AgentEvent.runCompleted(RunCompleted(finalResponse: "Done.", degraded: false))
                .newEvent(meta(index, nil)))
        var start = 0
        while start < events.count {
            let end = min(start + 1_000, events.count)
            try await journal.append(Array(events[start..<end]), to: EventStreams.run(runID))
            start = end
        }
    }
    return runID
}
