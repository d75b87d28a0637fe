import Foundation
import GoldenPathClient
import NIOCore
import NIOHTTP1
import NIOPosix

/// `bench login`: a `goldenpath serve` child process at its default bcrypt cost, one user pinging over `/ws`,
/// then a flood of wrong-password logins from many loopback addresses (127.0.0.0/8), each for a different
/// unknown user name so that no throttle fires and every attempt costs a hash; then one user name from one
/// address until the throttle answers 429.
struct LoginFloodBenchmark {
    /// The figures of one flood.
    struct Report: Encodable, Sendable {
        var phase = "login_flood"
        var attackers: Int
        var seconds: Double
        var pingsBefore: Int
        var pingBeforeP50Ms: Double
        var pingBeforeP99Ms: Double
        var pingsDuring: Int
        var pingDuringP50Ms: Double
        var pingDuringP99Ms: Double
        var loginsAnswered: Int
        var loginsRateLimited: Int
        /// The statuses of six wrong logins for one name from one address (SPEC: five 401, then 429).
        var oneNameOneAddress: [Int]

        enum CodingKeys: String, CodingKey {
            case phase, attackers, seconds
            case pingsBefore = "pings_before", pingBeforeP50Ms = "ping_before_p50_ms"
            case pingBeforeP99Ms = "ping_before_p99_ms", pingsDuring = "pings_during"
            case pingDuringP50Ms = "ping_during_p50_ms", pingDuringP99Ms = "ping_during_p99_ms"
            case loginsAnswered = "logins_answered", loginsRateLimited = "logins_rate_limited"
            case oneNameOneAddress = "one_name_one_address"
        }
    }

    let executable: URL
    let attackers: Int
    let duration: Duration

    func run() async throws -> Report {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("goldenpath-login-\(UUID().uuidString.lowercased())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServeChild.start(
            executable: executable, journalPath: directory.appendingPathComponent("login.sqlite").path)
        defer { server.stop() }
        let port = server.port
        let group = MultiThreadedEventLoopGroup.singleton

        let signUp = try await Self.post(
            "/auth/signup", ["username": "pinger", "password": "pinger-password"], port: port, from: "127.0.0.1",
            group: group)
        guard signUp.status == 201, let token = signUp.body["token"]?.stringValue else {
            throw BenchmarkFailure("sign-up answered \(signUp.status)")
        }
        let connection = try await GoldenPathConnection.connect(port: port, token: token)
        defer { Task { await connection.close() } }
        _ = try await connection.awaitEstablished()

        let before = try await Self.ping(connection, for: .seconds(2))
        let flood = Task { try await Self.flood(attackers: attackers, for: duration, port: port, group: group) }
        let during = try await Self.ping(connection, for: duration)
        let (answered, limited) = try await flood.value

        var statuses: [Int] = []
        for attempt in 1...6 {
            let answer = try await Self.post(
                "/auth/login", ["username": "victim", "password": "wrong-\(attempt)"], port: port,
                from: "127.0.0.250", group: group)
            statuses.append(answer.status)
        }
        return Report(
            attackers: attackers, seconds: Self.milliseconds(duration) / 1_000, pingsBefore: before.count,
            pingBeforeP50Ms: LoadBenchmark.percentile(before, 0.50),
            pingBeforeP99Ms: LoadBenchmark.percentile(before, 0.99),
            pingsDuring: during.count, pingDuringP50Ms: LoadBenchmark.percentile(during, 0.50),
            pingDuringP99Ms: LoadBenchmark.percentile(during, 0.99), loginsAnswered: answered, loginsRateLimited: limited,
            oneNameOneAddress: statuses)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1_000 + Double(attoseconds) * 1e-15
    }

    /// Pings every 80 ms for `duration` (the server closes a socket that sends more than 120 frames in 10 s);
    /// the sorted round trips in milliseconds.
    static func ping(_ connection: GoldenPathConnection, for duration: Duration) async throws -> [Double] {
        let clock = ContinuousClock()
        let end = clock.now + duration
        var trips: [Double] = []
        while clock.now < end {
            let sent = clock.now
            try await connection.send(.ping)
            while let frame = try await connection.next() {
                if case .pong = frame { break }
            }
            trips.append(milliseconds(sent.duration(to: clock.now)))
            try await Task.sleep(for: .milliseconds(80))
        }
        return trips.sorted()
    }

    /// `attackers` tasks, each from its own address, sending wrong logins for fresh names until `duration`
    /// passes; the number answered, and how many of those were 429.
    static func flood(attackers: Int, for duration: Duration, port: Int, group: any EventLoopGroup) async throws
        -> (answered: Int, rateLimited: Int)
    {
        let end = ContinuousClock.now + duration
        return try await withThrowingTaskGroup(of: (Int, Int).self) { tasks in
            for attacker in 0..<attackers {
                tasks.addTask {
                    var (answered, limited, attempt) = (0, 0, 0)
                    // 127.0.0.2, 127.0.0.3, …: every attacker its own client address.
                    let address = "127.0.\(attacker / 200).\(2 + attacker % 200)"
                    while ContinuousClock.now < end {
                        attempt += 1
                        let answer = try await post(
                            "/auth/login",
                            ["username": "nobody-\(attacker)-\(attempt)", "password": "wrong-password"],
                            port: port, from: address, group: group)
                        answered += 1
                        if answer.status == 429 { limited += 1 }
                    }
                    return (answered, limited)
                }
            }
            var total = (answered: 0, rateLimited: 0)
            for try await (answered, limited) in tasks {
                total.answered += answered
                total.rateLimited += limited
            }
            return total
        }
    }

    /// One HTTP/1.1 POST from the loopback address `address`, on its own connection.
    static func post(
        _ path: String, _ body: [String: String], port: Int, from address: String, group: any EventLoopGroup
    ) async throws -> (status: Int, body: JSONValue) {
        let channel = try await ClientBootstrap(group: group)
            .bind(to: try SocketAddress(ipAddress: address, port: 0))
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        let payload = try JSONSerialization.data(withJSONObject: body)
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: path)
            head.headers.add(name: "Host", value: "127.0.0.1:\(port)")
            head.headers.add(name: "Content-Type", value: "application/json")
            head.headers.add(name: "Content-Length", value: "\(payload.count)")
            head.headers.add(name: "Connection", value: "close")
            try await outbound.write(.head(head))
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: payload))))
            try await outbound.write(.end(nil))
            var status = 0
            var bytes = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let response): status = Int(response.status.code)
                case .body(var chunk): bytes.writeBuffer(&chunk)
                case .end: return (status, (try? JSONValue(parsing: String(buffer: bytes))) ?? .null)
                }
            }
            return (status, (try? JSONValue(parsing: String(buffer: bytes))) ?? .null)
        }
    }
}

/// A benchmark could not run.
struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
