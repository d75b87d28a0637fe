import Prometheus
import Synchronization

/// The gateway's Prometheus metrics, in a registry the application owns (no global metrics system).
///
/// `goldenpath_frames_sent_total{type}`, `goldenpath_runs{status}`, `goldenpath_journal_append_seconds`,
/// `goldenpath_websocket_connections`, `goldenpath_rejected_input_total{code}`,
/// `goldenpath_foreign_events_dropped_total`.
public final class GatewayMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    private let openConnections: Gauge
    private let appendLatency: DurationHistogram
    private let firstDelta: DurationHistogram
    private let frameCounters = Mutex<[String: Counter]>([:])

    private static var framesSent: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "goldenpath", metricName: "frames_sent", unitName: "total",
            helpText: "Frames written to WebSocket connections, by frame type.")
    }

    private static var rejected: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "goldenpath", metricName: "rejected_input", unitName: "total",
            helpText: "Rejected client input, by error code.")
    }

    private static var foreignDropped: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "goldenpath", metricName: "foreign_events_dropped", unitName: "total",
            helpText: "Events of another user that reached a connection and were dropped before delivery (a bug upstream).")
    }

    private static var runs: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "goldenpath", metricName: "runs", unitName: "",
            helpText: "Runs by status (from the runs projection).")
    }

    /// Creates the metrics in a fresh registry.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        openConnections = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "goldenpath", metricName: "websocket_connections", unitName: "",
                helpText: "Open WebSocket connections."))
        appendLatency = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "goldenpath", metricName: "journal_append", unitName: "seconds",
                helpText: "Latency of the gateway's journal writes (appends and delivery records) until committed."),
            buckets: [
                .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1),
            ])
        firstDelta = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "goldenpath", metricName: "llm_time_to_first_delta", unitName: "seconds",
                helpText: "Time from a model call's start to its answer's first agent_response_delta committed."),
            buckets: [
                .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10),
            ])
    }

    /// Counts one frame written to a connection.
    /// Records how long a streamed response took from its model call's start to its first delta committed
    /// (``AgentsConfiguration/onFirstDelta``).
    func recordFirstDelta(_ duration: Duration) { firstDelta.record(duration) }

    func frameSent(type: String) {
        // Every frame of every connection counts here: the registry's lookup by name and labels, once per type.
        let counter = frameCounters.withLock { counters in
            if let counter = counters[type] { return counter }
            let counter = registry.makeCounter(descriptor: Self.framesSent, labels: [("type", type)])
            counters[type] = counter
            return counter
        }
        counter.increment()
    }

    /// Counts events of another user that reached a connection's session and were dropped there.
    func foreignEventsDropped(_ count: Int) {
        registry.makeCounter(descriptor: Self.foreignDropped).increment(by: Int64(count))
    }

    /// Counts one rejected input, by protocol code.
    func inputRejected(code: String) {
        registry.makeCounter(descriptor: Self.rejected, labels: [("code", code)]).increment()
    }

    /// Counts one connection opened.
    func connectionOpened() { openConnections.increment() }

    /// Counts one connection closed.
    func connectionClosed() { openConnections.decrement() }

    /// Records the latency of one journal write.
    func recordAppend(_ duration: Duration) { appendLatency.record(duration) }

    /// Sets the runs-by-status gauges from a count per status.
    func setRuns(byStatus counts: [String: Int]) {
        let statuses = Set(["running", "completed", "failed", "cancelled"]).union(counts.keys)
        for status in statuses {
            registry.makeGauge(descriptor: Self.runs, labels: [("status", status)]).set(Double(counts[status] ?? 0))
        }
    }

    /// The Prometheus text exposition.
    func render() -> String { registry.emitToString() }
}
