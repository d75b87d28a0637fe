import Foundation

/// One phase's result: one JSON line of the benchmark's output.
///
/// `{"peer":"goldenpath","phase":"append_tx_per_event","events":24000,"seconds":1.31,"events_per_s":18275.5,
/// "sync":"NORMAL","db_bytes":8138752}` — `sync` and `db_bytes` on append phases, `leaks` on the leak phase.
public struct BenchmarkLine: Encodable, Sendable, Hashable {
    /// Who ran the phase.
    public var peer: BenchmarkPeer
    /// The phase.
    public var phase: BenchmarkPhase
    /// The number of events the phase wrote or read.
    public var events: Int
    /// The timed duration, in seconds.
    public var seconds: Double
    /// The `PRAGMA synchronous` in force (`NORMAL` or `FULL`), on append phases.
    public var sync: SyncMode?
    /// The size of the database and its WAL after an append phase, in bytes.
    public var dbBytes: Int64?
    /// The leak phase's answer.
    public var leaks: Int?

    /// Events per second.
    public var eventsPerSecond: Double { seconds > 0 ? Double(events) / seconds : 0 }

    /// Creates a line.
    public init(
        peer: BenchmarkPeer, phase: BenchmarkPhase, events: Int, seconds: Double, sync: SyncMode? = nil,
        dbBytes: Int64? = nil, leaks: Int? = nil
    ) {
        self.peer = peer
        self.phase = phase
        self.events = events
        self.seconds = seconds
        self.sync = sync
        self.dbBytes = dbBytes
        self.leaks = leaks
    }

    private enum CodingKeys: String, CodingKey {
        case peer, phase, events, seconds
        case eventsPerSecond = "events_per_s"
        case sync
        case dbBytes = "db_bytes"
        case leaks
    }

    /// Encodes the fields (in the documented order when the encoder keeps order; see ``jsonLine``); seconds
    /// rounded to 0.1 ms, events/s to 0.1.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(peer, forKey: .peer)
        try container.encode(phase, forKey: .phase)
        try container.encode(events, forKey: .events)
        try container.encode((seconds * 10_000).rounded() / 10_000, forKey: .seconds)
        try container.encode((eventsPerSecond * 10).rounded() / 10, forKey: .eventsPerSecond)
        try container.encodeIfPresent(sync, forKey: .sync)
        try container.encodeIfPresent(dbBytes, forKey: .dbBytes)
        try container.encodeIfPresent(leaks, forKey: .leaks)
    }

    /// The line as compact JSON, keys in the documented order (written by hand: Foundation's `JSONEncoder` on
    /// Linux does not keep the order of keys).
    public var jsonLine: String {
        var fields = [
            #""peer":"\#(peer.rawValue)""#, #""phase":"\#(phase.rawValue)""#, #""events":\#(events)"#,
            #""seconds":\#(Self.number(seconds, decimals: 4))"#,
            #""events_per_s":\#(Self.number(eventsPerSecond, decimals: 1))"#,
        ]
        if let sync { fields.append(#""sync":"\#(sync.rawValue)""#) }
        if let dbBytes { fields.append(#""db_bytes":\#(dbBytes)"#) }
        if let leaks { fields.append(#""leaks":\#(leaks)"#) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// `value` rounded to `decimals` places, in JSON's shortest form (`20`, `1.31`).
    static func number(_ value: Double, decimals: Int) -> String {
        let scale = (0..<decimals).reduce(1.0) { product, _ in product * 10 }
        let rounded = (value * scale).rounded() / scale
        guard rounded.isFinite else { return "0" }
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return "\(rounded)"
    }
}
