import ArgumentParser
import Foundation
import Journal

/// `goldenpath bench load`: end-to-end load over real WebSockets against an in-process server.
struct BenchLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "End-to-end load over real WebSockets: ack and run latency percentiles, throughput, leaks, losses.",
        discussion: """
            N users each send M messages one after another on their own connection, all users at once, against \
            an in-process server on a fresh temporary journal with the scripted LLM. Runs once per durability \
            (full and normal) unless --durability is given. Also reports the journal events and bytes per run.

            With --stream the scripted model streams each answer (--stream-words words per piece, \
            --stream-pace-ms apart) and the runtime journals it as agent_response_delta events coalesced per \
            --delta-window-ms (repeatable: one run per window and durability). The bench then reports the time \
            from the model's first piece of a run's answer to the first delta frame at the client (same process, \
            monotonic clock) as percentiles. Build with -c release for figures worth reporting.
            """)

    @Option(help: "Concurrent users.") var users = 20
    @Option(help: "Messages per user, sent one after another.") var messages = 10
    @Option(help: "full or normal (default: both, one after the other).")
    var durability: JournalConfiguration.Durability?
    @Flag(help: "Stream the scripted model's answers and time the first delta frame.") var stream = false
    @Option(help: ArgumentHelp("With --stream: words per piece the model sends.", valueName: "n"))
    var streamWords = 1
    @Option(
        name: .customLong("stream-pace-ms"),
        help: ArgumentHelp("With --stream: milliseconds between the model's pieces.", valueName: "ms"))
    var streamPaceMilliseconds = 5
    @Option(
        name: .customLong("delta-window-ms"),
        help: ArgumentHelp(
            "With --stream: the delta window in milliseconds (repeatable; 0 = one event per piece).",
            valueName: "ms"))
    var deltaWindows: [Int] = []
    @Flag(help: "One JSON object per line.") var json = false

    func validate() throws {
        guard users >= 1, messages >= 1 else { throw ValidationError("--users and --messages must be at least 1") }
        guard streamWords >= 1, streamPaceMilliseconds >= 0, deltaWindows.allSatisfy({ $0 >= 0 }) else {
            throw ValidationError("--stream-words must be at least 1, --stream-pace-ms and --delta-window-ms >= 0")
        }
        if !stream, !deltaWindows.isEmpty { throw ValidationError("--delta-window-ms needs --stream") }
    }

    func run() async throws {
        var failed = false
        try await reportingFailures {
            var header = [
                "DURABILITY", "MESSAGES", "COMPLETED", "RUNS/S", "ACK P50", "ACK P99", "RUN P50", "RUN P99", "LEAKS",
                "LOST", "EVENTS/RUN", "KB/RUN",
            ]
            if stream { header = ["WINDOW"] + header + ["DELTAS/RUN", "1ST DELTA P50", "1ST DELTA P99"] }
            var table = TextTable()
            table.headers = header
            let windows: [Int?] = stream ? (deltaWindows.isEmpty ? [50] : deltaWindows) : [nil]
            for window in windows {
                for mode in durability.map({ [$0] }) ?? [.full, .normal] {
                    var benchmark = LoadBenchmark(users: users, messagesPerUser: messages, durability: mode)
                    benchmark.streaming = window.map {
                        LoadBenchmark.Streaming(
                            wordsPerChunk: streamWords, pace: .milliseconds(streamPaceMilliseconds),
                            window: .milliseconds($0))
                    }
                    let report = try await benchmark.run()
                    failed = failed || report.leaks > 0 || report.lostFrames > 0 || report.completed < report.messages
                    if json {
                        JSONLines.print(report)
                    } else {
                        table.append(row(report))
                    }
                }
            }
            if !json {
                let model =
                    stream
                    ? "scripted LLM streaming \(streamWords) word(s) per piece every \(streamPaceMilliseconds) ms"
                    : "scripted LLM"
                print("bench load: \(users) users × \(messages) messages, \(model), real WebSockets")
                print(table.render())
            }
        }
        if failed { throw ExitCode.failure }
    }

    private func row(_ report: LoadBenchmark.Report) -> [String] {
        var row = [
            report.durability, "\(report.messages)", "\(report.completed)",
            String(format: "%.1f", report.runsPerSecond), ms(report.ackP50Ms), ms(report.ackP99Ms),
            ms(report.runP50Ms), ms(report.runP99Ms), "\(report.leaks)", "\(report.lostFrames)",
            String(format: "%.1f", report.eventsPerRun), String(format: "%.1f", report.journalBytesPerRun / 1_024),
        ]
        if stream {
            row =
                ["\(report.deltaWindowMs ?? 0) ms"] + row + [
                    String(format: "%.1f", report.deltasPerRun), ms(report.firstDeltaP50Ms ?? 0),
                    ms(report.firstDeltaP99Ms ?? 0),
                ]
        }
        return row
    }

    private func ms(_ value: Double) -> String { String(format: "%.1f ms", value) }
}
