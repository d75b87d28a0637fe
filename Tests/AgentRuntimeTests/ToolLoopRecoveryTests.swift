import AgentRuntime
import Foundation
import GoldenPathTesting
import Journal
import Logging
import Synchronization
import Testing

/// Tool-loop runs under `replay --verify` and start-up recovery: the recorded model answers and tool outputs are
/// fed back position by position, a changed tool result is the first divergence, and a run killed inside a tool
/// resumes with that one call made again under the same execution id.
@Suite("Tool loop: replay and recovery", .timeLimit(.minutes(5)))
struct ToolLoopRecoveryTests {
    static let logger = Logger(label: "tool-loop-recovery", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Turn 1 calls `lookup` twice (in parallel), turn 2 calls `commit`, turn 3 answers.
    static let script = ScriptedLLM.Behavior.toolScript(
        agentName: "worker",
        turns: [
            [
                LLMToolCall(id: "", name: "lookup", arguments: #"{"key":"a"}"#),
                LLMToolCall(id: "", name: "lookup", arguments: #"{"key":"b"}"#),
            ],
            [LLMToolCall(id: "", name: "commit", arguments: #"{"value":"ab"}"#)],
        ], finalText: "Committed ab.")

    static func pipeline(lookup: any Tool, commit: any Tool) -> Pipeline<ToolLoopTests.Notes> {
        ToolLoopTests.pipeline(tools: [lookup, commit])
    }

    /// Runs `content` to its end on a coordinator over `journal`.
    func runToEnd(
        _ content: String, journal: EventJournal, pipeline: Pipeline<ToolLoopTests.Notes>, llm: any LLMClient
    ) async throws -> (runID: String, events: [RecordedEvent]) {
        let coordinator = RunCoordinator(journal: journal, pipeline: pipeline, llm: llm, logger: Self.logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await coordinator.run() }
            let runID = try await coordinator.submit(IncomingMessage(userID: "alice", content: content)).runID
            var events: [RecordedEvent] = []
            for try await event in journal.subscribe(filter: .stream(EventStreams.run(runID))) {
                events.append(event)
                if AgentEvent.terminalTypes.contains(event.type) { break }
            }
            coordinator.beginShutdown()
            try await group.waitForAll()
            return (runID, events)
        }
    }

    @Test("replay --verify of a tool-loop run is clean; a changed tool result is the first divergence")
    func replayVerify() async throws {
        let file = try AgentsTestJournal()
        defer { file.remove() }
        let journal = try file.open()
        defer { try? journal.close() }
        let lookup = KeyedTool(name: "lookup", value: "value")
        let commit = KeyedTool(name: "commit", value: "ok")
        let pipeline = Self.pipeline(lookup: lookup, commit: commit)
        let (runID, events) = try await runToEnd(
            "look up and commit", journal: journal, pipeline: pipeline, llm: ScriptedLLM(behavior: Self.script))
        #expect(events.last?.type == "run_completed")
        #expect(events.filter { $0.type == "tool_completed" }.count == 3)

        let clean = try await RunVerifier(pipeline: pipeline).verify(runID: runID, in: journal)
        #expect(clean.isClean, "\(String(describing: clean.divergence))")
        #expect(clean.actualCount == clean.expectedCount)

        // Today's code changed what `lookup` returns: with live tools, its first call is where the run differs.
        var changed = RunVerifier(pipeline: pipeline)
        changed.liveTools = true
        changed.configuration.tools = ToolRegistry([KeyedTool(name: "lookup", value: "other")])
        let report = try await changed.verify(runID: runID, in: journal)
        let divergence = try #require(report.divergence)
        let firstLookup = try #require(events.firstIndex { $0.type == "tool_completed" }) + 1
        #expect(divergence.position == firstLookup)
        #expect(divergence.expected?.type == "tool_completed")
        #expect(divergence.fields == ["payload.results.value"])
    }

    @Test("a run killed inside a tool of its second turn resumes: turn 1 is not redone, the tool runs again with its execution id")
    func resumeInsideTheLoop() async throws {
        let file = try AgentsTestJournal()
        defer { file.remove() }
        let lookups = ToolCallCounter()
        let blockingCommit = RecordingTool(name: "commit", blocks: true)
        let crashedPipeline = Self.pipeline(
            lookup: lookups.counting(ToolRegistry([KeyedTool(name: "lookup", value: "value")]))["lookup"]
                ?? KeyedTool(name: "lookup", value: "value"),
            commit: blockingCommit)
        let runID: String
        do {
            let journal = try file.open()
            var configuration = AgentsConfiguration()
            configuration.terminalAppendAttempts = 1
            let coordinator = RunCoordinator(
                journal: journal, pipeline: crashedPipeline, llm: ScriptedLLM(behavior: Self.script),
                configuration: configuration, logger: Self.logger)
            let task = Task { try await coordinator.run() }
            runID = try await coordinator.submit(IncomingMessage(userID: "alice", content: "commit")).runID
            try await blockingCommit.started.wait()
            try journal.close()
            task.cancel()
            _ = try? await task.value
        }
        #expect(lookups.counts == ["lookup": 2])

        let resumedCommit = RecordingTool(name: "commit", blocks: false)
        let resumedLookups = ToolCallCounter()
        let resumedPipeline = Self.pipeline(
            lookup: resumedLookups.counting(ToolRegistry([KeyedTool(name: "lookup", value: "value")]))["lookup"]
                ?? KeyedTool(name: "lookup", value: "value"),
            commit: resumedCommit)
        let llm = ScriptedLLM(behavior: Self.script)
        let journal = try file.open()
        defer { try? journal.close() }
        let coordinator = RunCoordinator(journal: journal, pipeline: resumedPipeline, llm: llm, logger: Self.logger)
        let events = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await coordinator.run() }
            #expect(try await coordinator.recoverInterruptedRuns().map(\.decision) == [.resumed])
            var events: [RecordedEvent] = []
            for try await event in journal.subscribe(filter: .stream(EventStreams.run(runID))) {
                events.append(event)
                if AgentEvent.terminalTypes.contains(event.type) { break }
            }
            coordinator.beginShutdown()
            try await group.waitForAll()
            return events
        }
        #expect(events.last?.type == "run_completed")
        // Turn 1's two lookups and both model answers before the crash came from the journal.
        #expect(resumedLookups.counts.isEmpty)
        #expect(llm.callCount == 1)  // only the final answer, after the resumed commit
        // The interrupted commit ran again, with the execution id its tool_executing journaled.
        #expect(resumedCommit.executionIDs.count == 1)
        #expect(resumedCommit.executionIDs == blockingCommit.executionIDs)
        let executing = events.filter { $0.type == "tool_executing" && $0.payload.contains("\"commit\"") }
        #expect(executing.count == 1)
        #expect(executing.first?.payload.contains(try #require(blockingCommit.executionIDs.first)) == true)
        #expect(try await RunVerifier(pipeline: resumedPipeline).verify(runID: runID, in: journal).isClean)
    }
}

/// Answers `{key, value}` for its `key` argument. It describes itself (a description and a schema, journaled
/// with the first request of a loop), so replay and recovery must offer the model the same definitions.
struct KeyedTool: Tool {
    let name: String
    let value: String
    var description: String { "Looks up \(name) by key." }
    var parameters: JSONSchema { .object(properties: ["key": .string(), "value": .string()]) }

    func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        ["key": parameters["key"] ?? .null, "value": .string(value)]
    }
}

/// Records the execution id of each call; may block until cancelled (to be killed inside).
final class RecordingTool: Tool {
    let name: String
    let blocks: Bool
    var description: String { "Commits a value." }
    var parameters: JSONSchema { .object(properties: ["value": .string()], required: ["value"]) }
    var secretParameters: Set<String> { ["approval_code"] }
    let started = Gate()
    private let ids = Mutex<[String]>([])
    var executionIDs: [String] { ids.withLock { $0 } }

    init(name: String, blocks: Bool) {
        self.name = name
        self.blocks = blocks
    }

    func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        ids.withLock { $0.append(context.executionID) }
        started.open()
        if blocks { try await Task.sleep(for: .seconds(86_400)) }
        return ["committed": parameters["value"] ?? .null]
    }
}
