import AgentRuntime
import ArgumentParser
import Foundation
import Gateway
import Journal
import StandardPipeline

/// `goldenpath replay RUN_ID [--until SEQ] [--verify] [--json]`: rebuilds a run's state event by event, or
/// re-executes it with today's code and reports the first divergence.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Rebuild a run's state event by event; --verify re-executes it and reports the first divergence.",
        discussion: """
            Without --verify: folds the run's events through the replay state machine and prints each transition \
            (agent, status, tool results, LLM calls, frames sent per connection). --until SEQ stops after that \
            event and prints the state there.
            With --verify: copies the journal to a scratch file (the journal itself is opened read-only; a \
            PostgreSQL journal's events are copied into a temporary SQLite journal), \
            re-executes the run with today's code fed with the recorded LLM answers and tool outputs, and compares \
            the events (types, agents, tools, statuses, parameters, results, LLM requests; not ids, times, \
            durations, seqs). Exit 1 on a divergence, with expected vs actual at the first differing event.
            """)

    @OptionGroup var journal: JournalOptions
    @Argument(help: "The run id.") var runID: String
    @Option(help: "Stop after the event with this sequence number and print the state there.") var until: Int64?
    @Flag(help: "Re-execute the run in a scratch copy and compare with the recording.") var verify = false
    @Flag(help: "With --verify: run the tools with today's code instead of their recorded outputs.")
    var liveTools = false
    @Flag(help: "One JSON object per line.") var json = false
    @Flag(help: "Each agent_response_delta on its own line (default: one line per streamed response).")
    var deltas = false
    @Option(help: .hidden) var benchFolds: Int?

    func validate() throws {
        if verify, until != nil { throw ValidationError("--until and --verify cannot be combined") }
        if liveTools, !verify { throw ValidationError("--live-tools needs --verify") }
        if let benchFolds, benchFolds < 1 { throw ValidationError("--bench-folds must be at least 1") }
    }

    func run() async throws {
        var diverged = false
        try await reportingFailures {
            let opened = try await journal.openExisting(readOnly: true)
            defer { try? opened.close() }
            if let benchFolds {
                try await bench(opened, folds: benchFolds)
            } else if verify {
                var options = StandardPipeline.Options()
                options.mode = try await Self.ranWithToolLoops(runID, in: opened) ? .languageModel : .deterministic
                var verifier = RunVerifier(pipeline: StandardPipeline.make(options))
                verifier.liveTools = liveTools
                let report = try await verifier.verify(runID: runID, in: opened)
                diverged = !report.isClean
                if json { JSONLines.print(report) } else { ReplayPrinter.print(report) }
            } else {
                let replay = try await RunReplayer(journal: opened).replay(runID: runID, until: until)
                if json {
                    replay.transitions.forEach { JSONLines.print($0) }
                    JSONLines.print(["state": replay.state])
                } else {
                    ReplayPrinter.print(replay, until: until, foldingDeltas: !deltas)
                }
            }
        }
        if diverged { throw ExitCode.failure }
    }

    /// Folds the run `folds` times and prints the rate (events per second).
    private func bench(_ opened: EventJournal, folds: Int) async throws {
        let events = try await opened.stream(EventStreams.run(runID))
        let clock = ContinuousClock()
        var state = RunState(runID: runID)
        let elapsed = try clock.measure {
            for _ in 0..<folds {
                state = try RunReplayer.fold(events, runID: runID)
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Double(events.count * folds) / max(seconds, 1e-9)
        JSONLines.print(
            BenchLine(
                events: events.count, folds: folds, seconds: seconds, eventsPerSecond: Int(rate),
                status: state.status.rawValue))
    }

    private struct BenchLine: Encodable {
        var events: Int
        var folds: Int
        var seconds: Double
        var eventsPerSecond: Int
        var status: String

        enum CodingKeys: String, CodingKey {
            case events, folds, seconds, eventsPerSecond = "events_per_second", status
        }
    }
}

extension ReplayCommand {
    /// True when the run's sub-agents were tool-loop agents (`serve --llm openai`): its model calls are
    /// journaled with the purpose `tool_loop`.
    static func ranWithToolLoops(_ runID: String, in journal: EventJournal) async throws -> Bool {
        try await journal.stream(EventStreams.run(runID)).contains { event in
            guard event.type == EventType.llmRequest.rawValue,
                case .llmRequest(let request) = try? AgentEvent(recorded: event)
            else { return false }
            return request.purpose == "tool_loop"
        }
    }
}
