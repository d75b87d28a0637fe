import Foundation

/// The Agents layer's limits and injected dependencies. One `Sendable` value with the SPEC's defaults; each
/// budget fits inside the one above it.
public struct AgentsConfiguration: Sendable {
    /// The longest a run may take (default 300 s). Agents are cut short to fit it; past this
    /// plus ``runHardLimitMargin`` the run ends `run_failed {INTERNAL}`.
    public var runTimeout: Duration = .seconds(300)
    /// The longest one agent may take (default 60 s).
    public var agentTimeout: Duration = .seconds(60)
    /// The longest one tool call may take (default 10 s).
    public var toolTimeout: Duration = .seconds(10)
    /// Time limits of single tools by name, overriding the tool's own ``Tool/timeLimit`` and ``toolTimeout``.
    public var toolTimeLimits: [String: Duration] = [:]
    /// The most model turns of one agent's tool loop (default 10); past it the agent fails `TURN_LIMIT`.
    public var maximumModelTurns = 10
    /// The most tool calls of one agent's tool loop (default 30); past it the agent fails `TOOL_CALL_BUDGET`.
    public var maximumToolCalls = 30
    /// The clock agent, tool and run time limits wait on (default: real time). Tests inject one they advance.
    public var timeLimitClock: any TimeLimitClock = DispatchTimeLimitClock()
    /// How often a streamed answer is journaled (default 50 ms): its first piece at once, then at most one
    /// `agent_response_delta` per window per response, with what arrived in between; 0 journals every piece the
    /// model sends as its own event.
    public var deltaWindow: Duration = .milliseconds(50)
    /// The clock the ``deltaWindow`` waits on (default: real time).
    public var deltaClock: any TimeLimitClock = DispatchTimeLimitClock()
    /// Told, for each streamed response, how long it took from the start of the model call (its `llm_request`
    /// journaled) to its first `agent_response_delta` committed — time to first token as the journal sees it. The
    /// gateway feeds its `/metrics` histogram from it.
    public var onFirstDelta: @Sendable (Duration) -> Void = { _ in }
    /// How far past ``runTimeout`` a run may go before it is failed outright (default 10 s).
    public var runHardLimitMargin: Duration = .seconds(10)
    /// The most runs one user may have open at once (default 3); more is `TOO_MANY_RUNS`.
    public var maximumConcurrentRunsPerUser = 3
    /// On graceful shutdown, how long open runs may go on before they end `run_failed {INTERRUPTED}` (default 5 s).
    public var shutdownGracePeriod: Duration = .seconds(5)
    /// How many times a run's terminal event is tried when the journal fails (default 8, with doubling backoff).
    public var terminalAppendAttempts = 8
    /// The first wait between terminal-event attempts (default 100 ms, doubling).
    public var terminalAppendBackoff: Duration = .milliseconds(100)
    /// The longest wait between terminal-event attempts (default 5 s). After ``terminalAppendAttempts`` the
    /// terminal event is still retried at this pace until the journal takes it, so a run ends on its own once a
    /// storage fault clears — unless the coordinator is shutting down (start-up recovery then ends the run).
    public var terminalAppendMaxBackoff: Duration = .seconds(5)
    /// What start-up recovery does with runs an earlier process left open (default ``RecoveryPolicy/resume``).
    public var recoveryPolicy: RecoveryPolicy = .resume
    /// How many times one run may be resumed (default 2); a run still open after that is ended
    /// `run_failed {INTERRUPTED}`, so a run that brings the process down cannot do it forever.
    public var maximumResumeAttempts = 2
    /// Tools that replace the pipeline's tools of the same name (default: none) — the seam where tests inject a
    /// failing, slow or counting tool without changing the pipeline.
    public var tools = ToolRegistry([])
    /// On a journal that several processes share (PostgreSQL): how long the lease on a run lasts unless its
    /// gateway renews it (default 30 s, renewed every third of it). A gateway that stops renewing — it crashed —
    /// has its runs resumed by another within about this long; leases expire on ``clock``.
    public var leaseDuration: Duration = .seconds(30)
    /// The clock for `duration_ms` values and lease expiries.
    public var clock: @Sendable () -> Date = { Date() }
    /// The id generator for runs, threads, tool executions and agent instances.
    public var makeID: @Sendable () -> String = { UUID().uuidString.lowercased() }

    /// Creates a configuration with the defaults.
    public init() {}

    /// The time limit of one call of `tool`: ``toolTimeLimits``, else the tool's own, else ``toolTimeout``.
    public func timeLimit(of tool: any Tool) -> Duration {
        toolTimeLimits[tool.name] ?? tool.timeLimit ?? toolTimeout
    }
}
