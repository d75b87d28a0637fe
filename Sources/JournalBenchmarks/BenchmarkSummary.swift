/// The ratios the project targets, computed from the lines of one run (docs/BENCHMARKS.md).
public struct BenchmarkSummary: Sendable {
    /// The lines of the run.
    public let lines: [BenchmarkLine]
    /// Every ratio, targeted ones and informative ones, in a fixed order.
    public let comparisons: [BenchmarkComparison]

    /// Computes the ratios of a run's lines.
    public init(lines: [BenchmarkLine]) {
        self.lines = lines
        func rate(_ peer: BenchmarkPeer, _ phase: BenchmarkPhase, _ sync: SyncMode? = nil) -> Double? {
            lines.first { $0.peer == peer && $0.phase == phase && (sync == nil || $0.sync == sync) }?.eventsPerSecond
        }
        func ratio(_ numerator: Double?, _ denominator: Double?) -> Double? {
            guard let numerator, let denominator, denominator > 0 else { return nil }
            return numerator / denominator
        }
        func same(_ phase: BenchmarkPhase, _ sync: SyncMode? = nil, target: Double?) -> BenchmarkComparison {
            let suffix = sync.map { " \($0.rawValue)" } ?? ""
            return BenchmarkComparison(
                label: "\(phase.rawValue)\(suffix) vs raw",
                ratio: ratio(rate(.goldenpath, phase, sync), rate(.rawSQLite, phase, sync)), target: target)
        }
        func minimal(_ phase: BenchmarkPhase, _ sync: SyncMode? = nil, target: Double?) -> BenchmarkComparison {
            let suffix = sync.map { " \($0.rawValue)" } ?? ""
            return BenchmarkComparison(
                label: "\(phase.rawValue)\(suffix) vs minimal-sqlite",
                ratio: ratio(rate(.goldenpath, phase, sync), rate(.minimalSQLite, phase, sync)), target: target)
        }
        func concurrent(_ sync: SyncMode, target: Double?) -> BenchmarkComparison {
            BenchmarkComparison(
                label: "append_concurrent \(sync.rawValue) vs raw append_tx_per_event \(sync.rawValue)",
                ratio: ratio(rate(.goldenpath, .appendConcurrent, sync), rate(.rawSQLite, .appendTxPerEvent, sync)),
                target: target)
        }
        comparisons = [
            same(.appendTxPerEvent, .normal, target: nil),
            same(.appendTxPerRun, target: 0.7),
            concurrent(.normal, target: nil),
            same(.appendTxPerEvent, .full, target: nil),
            concurrent(.full, target: nil),
            // Per-event durability nearly free: concurrent appenders at FULL against the journal's own batches.
            BenchmarkComparison(
                label: "append_concurrent FULL vs goldenpath append_tx_per_run",
                ratio: ratio(rate(.goldenpath, .appendConcurrent, .full), rate(.goldenpath, .appendTxPerRun)),
                target: 0.8),
            same(.replayAll, target: 0.8),
            same(.readPerStream, target: 0.8),
            same(.leakQuery, target: nil),
            minimal(.appendTxPerEvent, .normal, target: nil),
            minimal(.appendTxPerRun, target: 0.5),
            minimal(.replayAll, target: 0.5),
            minimal(.readPerStream, target: 0.5),
        ]
    }

    /// True when every targeted ratio is met.
    public var allTargetsMet: Bool { comparisons.allSatisfy(\.isMet) }
}
