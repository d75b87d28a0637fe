import AgentRuntime
import ArgumentParser
import Foundation
import Gateway
import Journal
import JournalPostgres
import Logging
import StandardPipeline
import UnixSignals

/// `goldenpath serve`: runs the server until SIGINT/SIGTERM, then shuts down gracefully.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the server until SIGINT/SIGTERM, then shut down gracefully.",
        discussion: """
            The token signing secret comes from GOLDENPATH_JWT_SECRET, or is generated once and kept beside the \
            journal in <db>.secret (mode 0600), never inside the journal. With --database-url (a PostgreSQL \
            journal that several gateways share) GOLDENPATH_JWT_SECRET is required: at least 32 bytes, the same \
            on every gateway. --llm openai reads GOLDENPATH_LLM_URL, GOLDENPATH_LLM_MODEL and \
            GOLDENPATH_LLM_API_KEY.
            """)

    /// Which language model answers.
    enum LLMChoice: String, ExpressibleByArgument, CaseIterable {
        case scripted
        case openai
    }

    @Option(help: "The address to bind.")
    var host = "127.0.0.1"

    @Option(help: "The port to bind (0 picks a free one).")
    var port = 8080

    @OptionGroup var journal: JournalOptions

    @Option(help: "scripted (offline, deterministic) or openai (an OpenAI-compatible endpoint).")
    var llm: LLMChoice = .scripted

    @Flag(
        inversion: .prefixedNo,
        help: ArgumentHelp(
            "With --llm openai: stream the model's answers (server-sent events; the default) or ask for whole ones."))
    var llmStream = true

    @Option(
        help: ArgumentHelp(
            """
            What to do at start-up with runs a previous process left open: resume (from the last completed step, \
            reusing the journaled LLM and tool results) or interrupt (end them run_failed INTERRUPTED).
            """,
            valueName: "resume|interrupt"))
    var recovery: RecoveryPolicy = .resume

    @Option(
        name: .customLong("trusted-proxy"),
        help: ArgumentHelp(
            "A proxy (CIDR, repeatable) whose X-Forwarded-For names the client address for login throttling.",
            valueName: "cidr"))
    var trustedProxies: [String] = []

    @Option(
        name: .customLong("delta-window-ms"),
        help: ArgumentHelp(
            """
            How often a streamed answer is journaled: its first piece at once, then at most one \
            agent_response_delta per this many milliseconds per response; 0 journals every piece the model sends.
            """,
            valueName: "ms"))
    var deltaWindowMilliseconds = 50

    @Option(
        name: .customLong("scripted-stream-words"),
        help: ArgumentHelp(
            """
            With --llm scripted: stream each answer in pieces of this many words (0, the default: each answer \
            as one piece).
            """,
            valueName: "n"))
    var scriptedStreamWords = 0

    @Option(
        name: .customLong("scripted-stream-pace-ms"),
        help: ArgumentHelp(
            "With --scripted-stream-words: wait this many milliseconds before each piece after the first.",
            valueName: "ms"))
    var scriptedStreamPaceMilliseconds = 0

    @Option(
        name: .customLong("lease-seconds"),
        help: ArgumentHelp(
            """
            With --database-url: how long the lease on a run this gateway executes lasts unless renewed (every \
            third of it); another gateway resumes the runs of one that stopped renewing about this long after.
            """,
            valueName: "s"))
    var leaseSeconds = 30.0

    /// A testing aid (hidden): delays each scripted LLM call, so runs stay in flight long enough for crash tests.
    @Option(
        name: .customLong("scripted-delay-ms"),
        help: ArgumentHelp("Testing aid: delay every scripted LLM call by this many milliseconds.", visibility: .hidden)
    )
    var scriptedDelayMilliseconds = 0

    func validate() throws {
        guard scriptedDelayMilliseconds >= 0 else { throw ValidationError("--scripted-delay-ms must be >= 0") }
        guard deltaWindowMilliseconds >= 0 else { throw ValidationError("--delta-window-ms must be >= 0") }
        guard leaseSeconds >= 0.3 else { throw ValidationError("--lease-seconds must be at least 0.3") }
        guard scriptedStreamWords >= 0, scriptedStreamPaceMilliseconds >= 0 else {
            throw ValidationError("--scripted-stream-words and --scripted-stream-pace-ms must be >= 0")
        }
        if scriptedStreamPaceMilliseconds > 0, scriptedStreamWords == 0 {
            throw ValidationError("--scripted-stream-pace-ms needs --scripted-stream-words")
        }
        if llm != .scripted, scriptedStreamWords > 0 {
            throw ValidationError("--scripted-stream-words is for --llm scripted")
        }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        for proxy in trustedProxies where IPAddressRange(proxy) == nil {
            throw ValidationError("--trusted-proxy \(proxy) is not an IP address or CIDR range")
        }
        if llm == .openai, environment["GOLDENPATH_LLM_URL"]?.isEmpty ?? true {
            throw ValidationError("--llm openai needs GOLDENPATH_LLM_URL")
        }
        if case .database = try journal.location, (environment["GOLDENPATH_JWT_SECRET"]?.utf8.count ?? 0) < 32 {
            throw ValidationError(
                "--database-url needs GOLDENPATH_JWT_SECRET (at least 32 bytes, the same on every gateway)")
        }
    }

    /// The token signing secret: for a file journal `GOLDENPATH_JWT_SECRET` or the one kept beside it; for a
    /// shared database `GOLDENPATH_JWT_SECRET` (``validate()`` has checked it).
    private func secret() throws -> String {
        switch try journal.location {
        case .file(let path): return try signingSecret(forJournalAt: path)
        case .database: return environment["GOLDENPATH_JWT_SECRET"] ?? ""
        }
    }

    func run() async throws {
        try await reportingFailures {
            var configuration = GatewayConfiguration(jwtSecret: try secret())
            configuration.host = host
            configuration.port = port
            configuration.durability = journal.durability
            configuration.trustedProxies = trustedProxies.compactMap(IPAddressRange.init)
            var logger = Logger(label: "goldenpath.serve")
            logger.logLevel = .info
            configuration.logger = logger
            switch llm {
            case .scripted:
                let behavior: ScriptedLLM.Behavior =
                    scriptedDelayMilliseconds > 0
                    ? .delayed(by: .milliseconds(scriptedDelayMilliseconds)) : .normal
                let streaming =
                    scriptedStreamWords > 0
                    ? ScriptedLLM.Streaming(
                        wordsPerChunk: scriptedStreamWords, pace: .milliseconds(scriptedStreamPaceMilliseconds))
                    : nil
                try await serve(
                    configuration: configuration, llm: ScriptedLLM(behavior: behavior, streaming: streaming),
                    mode: .deterministic)
            case .openai:
                let endpoint = OpenAICompatibleLLM.Configuration(
                    baseURL: environment["GOLDENPATH_LLM_URL"] ?? "",
                    model: environment["GOLDENPATH_LLM_MODEL"] ?? "gpt-4o-mini",
                    apiKey: environment["GOLDENPATH_LLM_API_KEY"], streaming: llmStream)
                try await OpenAICompatibleLLM.withClient(configuration: endpoint) { client in
                    try await serve(configuration: configuration, llm: client, mode: .languageModel)
                }
            }
        }
    }

    private var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// Serves the standard pipeline; with a real model (`mode` ``StandardPipeline/Mode/languageModel``) its
    /// sub-agents are tool-loop agents whose model picks the tools.
    private func serve(
        configuration: GatewayConfiguration, llm: any LLMClient, mode: StandardPipeline.Mode
    ) async throws {
        let host = configuration.host
        var agents = AgentsConfiguration()
        agents.recoveryPolicy = recovery
        agents.deltaWindow = .milliseconds(deltaWindowMilliseconds)
        agents.leaseDuration = .milliseconds(Int64(leaseSeconds * 1_000))
        var options = StandardPipeline.Options()
        options.mode = mode
        let journalConfiguration = GoldenPathJournal.configuration(for: configuration)
        let opened: EventJournal
        switch try journal.location {
        case .file(let path): opened = try EventJournal(path: path, configuration: journalConfiguration)
        case .database(let url): opened = try await EventJournal.open(databaseURL: url, configuration: journalConfiguration)
        }
        let name = opened.path  // a database URL without its password
        let server: GoldenPathServer
        do {
            server = try await GoldenPathServer(
                pipeline: StandardPipeline.make(options), configuration: configuration, journal: opened, llm: llm,
                agents: agents,
                onServerRunning: { port in
                    print("goldenpath: serving http://\(host):\(port) (journal \(name)); Ctrl-C stops")
                    fflush(nil)
                })
        } catch {
            try? opened.close()
            throw error
        }
        do {
            try await server.run(gracefulShutdownSignals: [.sigterm, .sigint])
        } catch {
            try? server.close()
            throw error
        }
        try server.close()
        print("goldenpath: stopped")
    }
}

extension RecoveryPolicy: ExpressibleByArgument {}
