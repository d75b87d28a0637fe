import Foundation

/// The standard journal workload's data: N users × M runs of 12 events, with planted leaks (docs/BENCHMARKS.md).
///
/// Everything here is built before any timer starts: ids, stream names and payload structs. Encoding the payloads
/// to JSON is left to the peers, inside their timers.
public struct Workload: Sendable {
    /// The number of events in every run.
    public static let eventsPerRun = 12
    /// The size of every encoded payload, in bytes.
    public static let payloadBytes = 200
    /// The event types of a run, in order.
    public static let types = [
        "user_message", "run_started", "agent_started", "agent_thinking", "tool_executing", "tool_completed",
        "agent_started", "agent_thinking", "agent_completed", "llm_response", "agent_completed", "run_completed",
    ]
    /// The `agent` of each event of a run, in order.
    public static let agents = [
        "", "", "supervisor", "supervisor", "supervisor", "supervisor",
        "researcher", "researcher", "researcher", "supervisor", "supervisor", "",
    ]
    /// The text that pads every payload to 200 bytes (as much of it as needed).
    public static let filler =
        "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
        + "incididunt ut labore et dolore magna aliqua ut enim ad minim veniam quis nostrud exercitation ullamco "
        + "laboris nisi ut aliquip ex ea commodo "
    /// The index of the event that carries the leak in a leaking run.
    public static let leakEventIndex = 5
    /// The leak phase's query, the same for every peer: the events whose payload names another user than the
    /// owner the journal recorded for them (every event of a run stream is recorded with the run's owner).
    public static let leakQuery = """
        SELECT COUNT(*) FROM events WHERE json_extract(payload, '$.user_id') IS NOT user_id
        """
    /// The same query in PostgreSQL's SQL (`payload` is text holding JSON).
    public static let postgresLeakQuery = """
        SELECT COUNT(*) FROM events WHERE (payload::jsonb ->> 'user_id') IS DISTINCT FROM user_id
        """

    /// The number of users.
    public let users: Int
    /// The number of runs per user.
    public let runsPerUser: Int
    /// Every run, in append order (run number `g = u * runsPerUser + r`).
    public let runs: [WorkloadRun]

    /// The total number of events.
    public var eventCount: Int { runs.count * Self.eventsPerRun }
    /// The number of planted leaks: one per run with `g % 50 == 7` (40 at the default size); none with one user,
    /// whose "next user" is itself.
    public var plantedLeaks: Int { users > 1 ? runs.filter(\.hasLeak).count : 0 }

    /// Builds the workload.
    /// - Throws: `BenchmarkError` (`invalidConfiguration`) when the sizes are out of range or a payload cannot be
    ///   padded to 200 bytes.
    public init(users: Int, runsPerUser: Int) throws {
        guard users >= 1, users <= 999_999, runsPerUser >= 1, runsPerUser <= 999_999 else {
            throw BenchmarkError(
                code: .invalidConfiguration, message: "users and runs must be between 1 and 999999")
        }
        self.users = users
        self.runsPerUser = runsPerUser
        let encoder = RunPayload.makeEncoder()
        var runs: [WorkloadRun] = []
        runs.reserveCapacity(users * runsPerUser)
        for u in 0..<users {
            for r in 0..<runsPerUser {
                runs.append(try WorkloadRun(user: u, run: r, users: users, runsPerUser: runsPerUser, encoder: encoder))
            }
        }
        self.runs = runs
    }

    /// The read_per_stream order: run `i * s mod T` for i = 0…T-1 (T runs, s = ``stride(for:)``).
    public var readOrder: [Int] {
        let count = runs.count
        let step = Self.stride(for: count)
        return (0..<count).map { ($0 * step) % count }
    }

    /// Encodes and decodes every payload once, before any timer: the first peer to touch the JSON codec (and the
    /// allocator) would otherwise pay the process's warm-up alone, about 0.1 s at the default size.
    /// - Throws: the codec's error (never, for these payloads).
    public func warmUp() throws {
        let encoder = RunPayload.makeEncoder()
        let decoder = JSONDecoder()
        var state = RunState()
        for run in runs {
            for event in run.events {
                let payload = try decoder.decode(RunPayload.self, from: encoder.encode(event.payload))
                state.apply(type: event.type, payload: payload)
            }
        }
    }

    /// The runs of one user, in order.
    public func runs(ofUser user: Int) -> ArraySlice<WorkloadRun> {
        runs[(user * runsPerUser)..<((user + 1) * runsPerUser)]
    }

    /// `value` in decimal, zero-padded to `width` digits.
    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// The step of the read_per_stream order: the first odd number ≥ 7919 coprime with `count`.
    public static func stride(for count: Int) -> Int {
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        var step = 7919
        while gcd(step, count) != 1 { step += 2 }
        return step
    }
}

/// One run of the workload: one stream of 12 events owned by one user.
public struct WorkloadRun: Sendable {
    /// The owner's index `u`.
    public let user: Int
    /// The run number `g = u * M + r`.
    public let number: Int
    /// `user-%06d`.
    public let userID: String
    /// `00000000-0000-4000-8000-%06d%06d`.
    public let runID: String
    /// `thread-%06d-%06d`.
    public let threadID: String
    /// The stream the run's events are appended to: `run:<run_id>`.
    public let stream: String
    /// The run's 12 events, in order.
    public let events: [WorkloadEvent]
    /// True when event 5 names the next user (`g % 50 == 7`).
    public var hasLeak: Bool { number % 50 == 7 }

    init(user u: Int, run r: Int, users: Int, runsPerUser: Int, encoder: JSONEncoder) throws {
        user = u
        number = u * runsPerUser + r
        userID = "user-" + Workload.padded(u, 6)
        runID = "00000000-0000-4000-8000-" + Workload.padded(u, 6) + Workload.padded(r, 6)
        threadID = "thread-" + Workload.padded(u, 6) + "-" + Workload.padded(r, 6)
        stream = "run:" + runID
        let leakedUserID = "user-" + Workload.padded((u + 1) % users, 6)
        let leaks = number % 50 == 7
        var events: [WorkloadEvent] = []
        events.reserveCapacity(Workload.eventsPerRun)
        for k in 0..<Workload.eventsPerRun {
            let type = Workload.types[k]
            var payload = RunPayload(
                userID: leaks && k == Workload.leakEventIndex ? leakedUserID : userID, runID: runID,
                threadID: threadID, agent: Workload.agents[k], seq: k, text: "\(type) #\(k) of run \(number): ")
            let unpadded = try encoder.encode(payload).count
            let missing = Workload.payloadBytes - unpadded
            guard missing >= 0, missing <= Workload.filler.utf8.count else {
                throw BenchmarkError(
                    code: .invalidConfiguration,
                    message: "the payload of event \(k) of run \(number) cannot be 200 bytes")
            }
            payload.text += Workload.filler.prefix(missing)
            guard try encoder.encode(payload).count == Workload.payloadBytes else {
                throw BenchmarkError(
                    code: .invalidConfiguration, message: "the payload of event \(k) of run \(number) is not 200 bytes")
            }
            let eventID = "evt-" + Workload.padded(u, 6) + "-" + Workload.padded(r, 6) + "-" + Workload.padded(k, 2)
            events.append(WorkloadEvent(eventID: eventID, type: type, payload: payload))
        }
        self.events = events
    }
}

/// One event of the workload, before encoding.
public struct WorkloadEvent: Sendable {
    /// The event's idempotency key (`evt-%06d-%06d-%02d`).
    public let eventID: String
    /// The event's type string.
    public let type: String
    /// The payload struct, encoded by the peer inside its timer.
    public let payload: RunPayload

    /// The payload as compact JSON text (what both peers store), encoded with `encoder`.
    func encodedPayload(using encoder: JSONEncoder) throws -> String {
        String(decoding: try encoder.encode(payload), as: UTF8.self)
    }
}
