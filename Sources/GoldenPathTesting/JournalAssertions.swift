import AgentRuntime
import Foundation
import Journal

/// Assertions that read the journal — what happened, not what a component believes happened: a run's exact
/// event sequence against an ``EventPattern``, a connection's received frames against its `deliveries` rows,
/// the `cross_user_deliveries` and `cross_user_events` views, and canary tokens.
///
/// Every check returns its findings as a value (nil or empty when all is well) for the test to `#expect`;
/// the `expect…` variants in `JournalAssertions+Testing.swift` record them with `Issue.record` instead.
///
/// ```swift
/// let journal = JournalAssertions(server.journal)
/// let end = try await journal.awaitRunEnd(runID)
/// #expect(try await journal.runMismatch(runID, EventPattern.goldenPath(agents: ["triage", "data_helper", "reporting"])) == nil)
/// #expect(try await journal.crossUserDeliveries().isEmpty)
/// ```
public struct JournalAssertions: Sendable {
    /// The journal read.
    public let journal: EventJournal

    /// Assertions over `journal`.
    public init(_ journal: EventJournal) {
        self.journal = journal
    }

    /// The events of a run (its stream `run:<id>`), in order; only frame types when `framesOnly`.
    public func runEvents(_ runID: String, framesOnly: Bool = false) async throws -> [RecordedEvent] {
        let events = try await journal.events(filter: .run(runID))
        return framesOnly ? events.filter { AgentEvent.frameTypes.contains($0.type) } : events
    }

    /// The summaries of a run's events, in order.
    public func runSummaries(_ runID: String, framesOnly: Bool = false) async throws -> [EventSummary] {
        try await runEvents(runID, framesOnly: framesOnly).map(EventSummary.init)
    }

    /// Waits on a journal subscription (never by sleeping) for the run's terminal event and returns it.
    /// - Throws: ``LiveServerError`` when it does not arrive within `timeout`.
    @discardableResult
    public func awaitRunEnd(_ runID: String, timeout: Duration = .seconds(120)) async throws -> RecordedEvent {
        try await awaitEvent(.run(runID), timeout: timeout) { AgentEvent.terminalTypes.contains($0.type) }
    }

    /// Waits on a journal subscription for the first event that passes `filter` and `predicate`.
    /// - Throws: ``LiveServerError`` when none arrives within `timeout`.
    @discardableResult
    public func awaitEvent(
        _ filter: EventFilter, timeout: Duration = .seconds(120),
        where predicate: @escaping @Sendable (RecordedEvent) -> Bool
    ) async throws -> RecordedEvent {
        let journal = self.journal
        let found = try await withThrowingTaskGroup(of: RecordedEvent?.self) { group in
            group.addTask {
                for try await event in journal.subscribe(filter: filter) where predicate(event) { return event }
                return nil
            }
            group.addTask {
                _ = await sleepUnlessCancelled(for: timeout)  // a deadline for a failing test, never a wait for a result
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let found else { throw LiveServerError(description: "no matching \(filter) event within \(timeout)") }
        return found
    }

    /// Matches a run's events against `pattern`; nil when they match, otherwise the diff.
    public func runMismatch(_ runID: String, _ pattern: EventPattern, framesOnly: Bool = false) async throws
        -> PatternMismatch?
    {
        pattern.mismatch(try await runSummaries(runID, framesOnly: framesOnly))
    }

    /// Compares the journal-event frames a connection received (in order) with the `deliveries` rows recorded for
    /// it (in insertion order), up to `throughSeq` when given. Empty when they agree: the same seqs, in the same
    /// order, with the same frame types.
    public func deliveryMismatches(
        connectionID: String, received frames: [TestWebSocketClient.Frame], throughSeq: Int64? = nil
    ) async throws -> [String] {
        let rows = try await journal.rows(
            RowQuery(
                from: "deliveries", columns: ["seq", "frame_type"], where: [.equals("connection_id", .text(connectionID))],
                orderBy: ["id"])
        ).map { (seq: $0["seq"]?.integerValue ?? 0, type: $0["frame_type"]?.textValue ?? "") }
        let limit = throughSeq ?? Int64.max
        let delivered = rows.filter { $0.seq <= limit }.map { "\($0.seq) \($0.type)" }
        let received = frames.compactMap { frame in frame.seq.map { "\($0) \(frame.type ?? "?")" } }
            .filter { (Int64($0.split(separator: " ")[0]) ?? 0) <= limit }
        guard delivered != received else { return [] }
        var problems: [String] = []
        let missingRows = Set(received).subtracting(delivered)
        let missingFrames = Set(delivered).subtracting(received)
        if !missingRows.isEmpty { problems.append("received without a deliveries row: \(missingRows.sorted())") }
        if !missingFrames.isEmpty { problems.append("delivered but never received: \(missingFrames.sorted())") }
        if problems.isEmpty {
            let index = zip(delivered, received).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(delivered.count, received.count)
            problems.append(
                "order or count differs at #\(index): deliveries \(delivered.count) rows, received \(received.count) "
                    + "frames; deliveries[\(index)]=\(index < delivered.count ? delivered[index] : "end") "
                    + "received[\(index)]=\(index < received.count ? received[index] : "end")")
        }
        return problems
    }

    /// The rows of the `cross_user_deliveries` view (must be empty), one line each.
    public func crossUserDeliveries() async throws -> [String] {
        try await lines("SELECT recipient_user_id, connection_id, seq, type FROM cross_user_deliveries")
    }

    /// The rows of the `cross_user_events` view (must be empty), one line each.
    public func crossUserEvents() async throws -> [String] {
        try await lines("SELECT run_id, seq, type, user_id, run_owner FROM cross_user_events")
    }

    /// Where a user's canary token appears outside that user: in another user's (or no user's) events, in deliveries
    /// to another user, or in the frames another user's connections received. Empty when it never leaked.
    /// - Parameters:
    ///   - canaries: user id → that user's unique canary string.
    ///   - received: user id → every frame that user's connections received.
    public func canaryLeaks(canaries: [String: String], received: [String: [TestWebSocketClient.Frame]] = [:])
        async throws -> [String]
    {
        let events = try await journal.events()
        let deliveries = try await journal.rows(
            RowQuery(from: "deliveries", columns: ["seq", "recipient_user_id"], orderBy: ["id"]))
        // Each text is searched once, for every canary at a time: a large journal with many users is checked in
        // one pass over its bytes, not in a pass per canary (which held both cores for a minute beside the suite).
        let finder = CanaryFinder(canaries)
        var leaks: [String: [String]] = [:]
        var ownersBySeq: [Int64: Set<String>] = [:]
        for event in events {
            let owners = finder.owners(in: event.payload)
            guard !owners.isEmpty else { continue }
            ownersBySeq[event.seq] = owners
            for owner in owners where event.userID != owner {
                leaks[owner, default: []].append(
                    "\(owner)'s canary in event \(event.seq) \(event.type) of \(event.userID ?? "nobody")")
            }
        }
        for delivery in deliveries {
            guard let seq = delivery["seq"]?.integerValue, let recipient = delivery["recipient_user_id"]?.textValue,
                let owners = ownersBySeq[seq]
            else { continue }
            for owner in owners where recipient != owner {
                leaks[owner, default: []].append("\(owner)'s canary in delivery of \(seq) to \(recipient)")
            }
        }
        for (user, frames) in received.sorted(by: { $0.key < $1.key }) {
            for frame in frames {
                for owner in finder.owners(in: frame.text) where user != owner {
                    leaks[owner, default: []].append(
                        "\(owner)'s canary in a frame received by \(user): \(frame.text.prefix(200))")
                }
            }
        }
        return leaks.sorted { $0.key < $1.key }.flatMap(\.value)
    }

    /// One integer from SQL in the journal backend's dialect, `?` placeholders for `arguments` (-1 when the query
    /// returns no row).
    public func integer(_ sql: String, _ arguments: [any SQLArgument] = []) async throws -> Int {
        let rows = try await journal.rows(sql: sql, arguments: arguments.map(\.sqlValue))
        return rows.first?.first?.integerValue.map(Int.init) ?? -1
    }

    /// The columns of each row, as text joined by spaces (SQL in the journal backend's dialect).
    public func lines(_ sql: String, _ arguments: [any SQLArgument] = []) async throws -> [String] {
        try await journal.rows(sql: sql, arguments: arguments.map(\.sqlValue)).map { row in
            row.map { value -> String in
                switch value {
                case .null: "NULL"
                case .integer(let integer): String(integer)
                case .real(let real): String(real)
                case .text(let text): text
                }
            }.joined(separator: " ")
        }
    }
}

/// A value a test binds to a `?` of its SQL (``JournalAssertions/integer(_:_:)``, ``JournalAssertions/lines(_:_:)``).
public protocol SQLArgument: Sendable {
    /// The value as the journal binds it.
    var sqlValue: ProjectionRow.Value { get }
}

extension String: SQLArgument {
    /// Text.
    public var sqlValue: ProjectionRow.Value { .text(self) }
}

extension Int: SQLArgument {
    /// An integer.
    public var sqlValue: ProjectionRow.Value { .integer(Int64(self)) }
}

extension Int64: SQLArgument {
    /// An integer.
    public var sqlValue: ProjectionRow.Value { .integer(self) }
}

extension Double: SQLArgument {
    /// A real.
    public var sqlValue: ProjectionRow.Value { .real(self) }
}

/// Finds which users' canaries occur in a text, in one pass over its UTF-8 bytes for all canaries at once: only the
/// positions that start with some canary's first byte are looked up, by each canary length.
struct CanaryFinder {
    private let ownerByCanary: [[UInt8]: String]
    private let lengths: [Int]
    private let isFirstByte: [Bool]

    init(_ canaries: [String: String]) {
        var ownerByCanary: [[UInt8]: String] = [:]
        var isFirstByte = [Bool](repeating: false, count: 256)
        for (owner, canary) in canaries where !canary.isEmpty {
            let bytes = Array(canary.utf8)
            ownerByCanary[bytes] = owner
            isFirstByte[Int(bytes[0])] = true
        }
        self.ownerByCanary = ownerByCanary
        self.lengths = Set(ownerByCanary.keys.map(\.count)).sorted()
        self.isFirstByte = isFirstByte
    }

    /// The owners of the canaries that occur in `text`.
    func owners(in text: String) -> Set<String> {
        guard !ownerByCanary.isEmpty else { return [] }
        let bytes = Array(text.utf8)
        var owners: Set<String> = []
        for start in bytes.indices where isFirstByte[Int(bytes[start])] {
            for length in lengths {
                guard start + length <= bytes.count else { break }
                if let owner = ownerByCanary[Array(bytes[start..<(start + length)])] { owners.insert(owner) }
            }
        }
        return owners
    }
}
