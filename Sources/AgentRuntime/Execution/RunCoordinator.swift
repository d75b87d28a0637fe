import Foundation
import Journal
import Logging
import Synchronization

/// The gateway's entry point to the Agents layer: accepts user messages, executes their runs, stops them, and
/// recovers the runs an earlier process left open.
///
/// ``submit(_:)`` records the message and its acknowledgement and returns at once; ``run()`` — the service body —
/// executes the accepted runs in a task group. Every run ends with exactly one of `run_completed`, `run_failed`,
/// `run_cancelled` (its event id is `<run_id>:terminal`, so the journal itself refuses a second one).
public final class RunCoordinator: Sendable {
    /// The journal every event goes to (opened with ``AgentsJournal/configure(_:)``).
    public let journal: EventJournal
    /// The language model agents ask (a ``ModelRouter`` when agents name their own endpoints).
    public let llm: any LLMClient
    /// Limits, tool replacements, clocks and ids.
    public let configuration: AgentsConfiguration
    /// The owner-scoped reads over the projections.
    public let queries: RunQueries
    let logger: Logger
    let registry = RunRegistry()
    let pipeline: any PipelineExecution
    let jobs: AsyncStream<RunJob>
    let jobsContinuation: AsyncStream<RunJob>.Continuation
    private let running = Mutex(false)
    /// This coordinator's name on the leases of the runs it executes (a shared journal only).
    let leaseHolder = UUID().uuidString.lowercased()

    /// Creates a coordinator that executes `pipeline`'s runs. Call ``recoverInterruptedRuns()`` once at
    /// start-up, then run ``run()``.
    public convenience init<State>(
        journal: EventJournal, pipeline: Pipeline<State>, llm: any LLMClient,
        configuration: AgentsConfiguration = AgentsConfiguration(), logger: Logger
    ) {
        self.init(journal: journal, execution: pipeline, llm: llm, configuration: configuration, logger: logger)
    }

    init(
        journal: EventJournal, execution: any PipelineExecution, llm: any LLMClient,
        configuration: AgentsConfiguration, logger: Logger
    ) {
        self.journal = journal
        self.pipeline = execution
        self.llm = llm
        self.configuration = configuration
        self.logger = logger
        self.queries = RunQueries(journal: journal)
        (jobs, jobsContinuation) = AsyncStream.makeStream(of: RunJob.self)
    }

    /// The number of runs accepted whose outcome is not decided yet.
    public var openRunCount: Int { registry.count }

    /// The tools runs use: the pipeline's, with the configuration's replacements.
    public var tools: ToolRegistry { pipeline.tools.overlaid(by: configuration.tools) }

    /// The number of open runs of one user.
    public func openRunCount(ofUser userID: String) -> Int { registry.count(ofUser: userID) }

    /// Executes accepted runs until cancelled or until ``beginShutdown()``; call it once (a service's body).
    ///
    /// After ``beginShutdown()`` it takes no new runs, lets open runs finish within
    /// ``AgentsConfiguration/shutdownGracePeriod``, ends the rest `run_failed {INTERRUPTED}`, and returns.
    /// When its task is cancelled instead, every open run ends `run_failed {INTERRUPTED}` at once.
    /// - Throws: ``AgentsError`` (`internal`) when called a second time.
    public func run() async throws {
        let first = running.withLock { running in
            defer { running = true }
            return !running
        }
        guard first else { throw AgentsError(code: .internal, message: "run() was called twice") }
        // On a shared journal: renew this process's leases, and resume the runs whose lease lapsed.
        let leases = journal.isShared ? Task { await maintainLeases() } : nil
        defer { leases?.cancel() }
        // A discarding group: a long-lived server runs many thousands of runs, and a plain task group would keep
        // every finished child until it is awaited.
        await withDiscardingTaskGroup { group in
            for await job in jobs {
                group.addTask { await self.execute(job) }
            }
            registry.close()
            guard !Task.isCancelled, registry.count > 0 else { return }
            let grace = configuration.shutdownGracePeriod
            let registry = registry
            group.addTask {
                let drained = (try? await withTimeLimit(grace) { await registry.waitUntilDrained() }) != nil
                if !drained { registry.interruptAll() }
            }
        }
        for job in registry.unstartedJobs() {
            await end(job, with: .stopped(.interrupted))
        }
        logger.info("run coordinator stopped")
    }

    /// Stops taking runs and makes ``run()`` return after the open runs finish or the grace period passes.
    public func beginShutdown() {
        registry.close()
        jobsContinuation.finish()
    }

    /// Cancels one of the user's runs; it ends `run_cancelled`.
    /// - Throws: ``AgentsError`` — `runNotFound` for an unknown or another user's run, `runAlreadyEnded`.
    public func stop(runID: String, userID: String) async throws {
        switch registry.requestStop(runID: runID, userID: userID) {
        case .signalled:
            logger.info("run stop requested", metadata: ["run.id": "\(runID)"])
        case .foreign:
            throw AgentsError(code: .runNotFound, message: "no run \(runID)")
        case .ending:
            throw AgentsError(code: .runAlreadyEnded, message: "run \(runID) has already ended")
        case .notHere:
            guard let run = try await queries.run(id: runID, ofUser: userID) else {
                throw AgentsError(code: .runNotFound, message: "no run \(runID)")
            }
            guard !run.hasEnded else {
                throw AgentsError(code: .runAlreadyEnded, message: "run \(runID) has already ended")
            }
            // Open in the journal but executed by no one here (left by an earlier process): end it now.
            let context = UserExecutionContext(
                userID: run.userID, threadID: run.threadID, runID: runID, requestID: runID)
            let recorder = RunRecorder(journal: journal, context: context, lastSeq: run.lastSeq)
            await appendTerminal(.runCancelled(RunCancelled()), recorder: recorder)
        }
    }
}
