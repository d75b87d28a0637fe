/// The phases of the workload, in the order they run.
public enum BenchmarkPhase: String, Sendable, Hashable, Codable, CaseIterable {
    /// One transaction per event, into a fresh database.
    case appendTxPerEvent = "append_tx_per_event"
    /// One transaction per run (12 events), into a fresh database.
    case appendTxPerRun = "append_tx_per_run"
    /// One concurrent appender per user, one event per call (goldenpath only).
    case appendConcurrent = "append_concurrent"
    /// Every event in global order, decoded and folded.
    case replayAll = "replay_all"
    /// Every run's stream loaded by id, in a scattered order, decoded and folded.
    case readPerStream = "read_per_stream"
    /// Events whose payload `user_id` differs from their owner, counted in SQL.
    case leakQuery = "leak_query"
}
