import AgentRuntime
import Foundation
import Gateway
import Journal
import Synchronization

/// An injected clock and id generator that make two runs of the same scripted test produce the same events:
/// the clock starts at a fixed instant and advances by a fixed step on every reading; ids are
/// `<prefix>-<counter>` with one counter per component, so concurrency between the gateway and the agents
/// does not reorder either sequence.
///
/// ```swift
/// let environment = DeterministicEnvironment()
/// try await withLiveServer(agents: environment.agentsConfiguration(), configure: environment.configure) { server in ... }
/// ```
public struct DeterministicEnvironment: Sendable {
    /// The first instant the clocks report.
    public let start: Date
    /// How far a clock advances per reading.
    public let step: Duration

    /// Creates an environment; by default the clocks start at 2030-01-01T00:00:00Z and step 1 ms.
    public init(start: Date = Date(timeIntervalSince1970: 1_893_456_000), step: Duration = .milliseconds(1)) {
        self.start = start
        self.step = step
    }

    /// A new stepping clock: `start`, `start + step`, `start + 2·step`, … one value per call.
    public func makeClock() -> @Sendable () -> Date {
        let readings = Mutex(0)
        let start = self.start
        let seconds = Double(step.components.seconds) + Double(step.components.attoseconds) / 1e18
        return {
            let count = readings.withLock { value -> Int in
                defer { value += 1 }
                return value
            }
            return start.addingTimeInterval(Double(count) * seconds)
        }
    }

    /// A new counter-based id generator: `<prefix>-000001`, `<prefix>-000002`, …
    public func makeIDGenerator(prefix: String) -> @Sendable () -> String {
        let counter = Mutex(0)
        return {
            let next = counter.withLock { value -> Int in
                value += 1
                return value
            }
            return prefix + "-" + String(format: "%06d", next)
        }
    }

    /// `configuration` with a fresh stepping clock and the id prefix `a` (runs, threads, instances, executions).
    public func agentsConfiguration(_ configuration: AgentsConfiguration = AgentsConfiguration())
        -> AgentsConfiguration
    {
        var configuration = configuration
        configuration.clock = makeClock()
        configuration.makeID = makeIDGenerator(prefix: "a")
        return configuration
    }

    /// Gives a gateway configuration a fresh stepping clock and the id prefix `g` (users, connections). Pass it as
    /// `LiveServer.start(configure:)`.
    public func configure(_ configuration: inout GatewayConfiguration) {
        configuration.clock = makeClock()
        configuration.makeID = makeIDGenerator(prefix: "g")
    }

    /// The parts of an event that must repeat between two runs of the same scripted test: type, user, thread, run,
    /// and the payload without the measured parts (`duration_ms`, `latency_ms`, `offset_ms`). Timestamps and hashes
    /// are left out.
    public static func comparable(_ event: RecordedEvent) -> String {
        let payload = (try? JSONValue(parsing: event.payload)) ?? .null
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(withoutMeasurements(payload))) ?? Data()
        return [event.type, event.userID ?? "-", event.threadID ?? "-", event.runID ?? "-"].joined(separator: " ")
            + " " + String(decoding: data, as: UTF8.self)
    }

    /// The keys whose values are measured, not decided: dropped by ``comparable(_:)``.
    public static let measuredKeys: Set<String> = ["duration_ms", "latency_ms", "offset_ms"]

    private static func withoutMeasurements(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            .object(members.filter { !measuredKeys.contains($0.key) }.mapValues(withoutMeasurements))
        case .array(let items): .array(items.map(withoutMeasurements))
        default: value
        }
    }
}
