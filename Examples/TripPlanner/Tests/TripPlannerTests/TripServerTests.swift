import AgentRuntime
import AsyncHTTPClient
import Foundation
import Gateway
import GoldenPathTesting
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Testing
import TripPlanner

/// `TripPlanner.makeServer` — what `trip-planner` runs — serves the pipeline and its own route
/// `GET /api/trips/latest` behind the gateway's authentication.
@Suite("Trip planner: the server and its route", .timeLimit(.minutes(3)))
struct TripServerTests {
    /// Sends one HTTP request; returns the status and the body.
    static func http(_ method: HTTPMethod, _ url: String, body: String? = nil, token: String? = nil) async throws
        -> (status: Int, body: String)
    {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    @Test("makeServer serves a run over /ws and GET /api/trips/latest answers the caller's trip only")
    func latestTripRoute() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trip-planner-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = GatewayConfiguration(jwtSecret: "trip-planner-test-secret-\(UUID().uuidString)")
        configuration.port = 0
        configuration.bcryptCost = 4
        configuration.durability = .normal
        configuration.logger = Logger(label: "trip-planner.test", factory: { _ in SwiftLogNoOpLogHandler() })
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let server = try await TripPlanner.makeServer(
            configuration: configuration, journalPath: directory.appendingPathComponent("trips.sqlite").path,
            onServerRunning: { port in
                portContinuation.yield(port)
                portContinuation.finish()
            })
        let group = ServiceGroup(services: [server], logger: configuration.logger)
        let running = Task { try await group.run() }
        do {
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let base = "http://127.0.0.1:\(port)"

            let signup = try await Self.http(
                .POST, base + "/auth/signup", body: #"{"username":"route-user","password":"password-123456"}"#)
            #expect(signup.status == 201)
            let issued = try JSONDecoder().decode(IssuedToken.self, from: Data(signup.body.utf8))
            let other = try await Self.http(
                .POST, base + "/auth/signup", body: #"{"username":"route-other","password":"password-123456"}"#)
            let otherToken = try JSONDecoder().decode(IssuedToken.self, from: Data(other.body.utf8)).token

            #expect(try await Self.http(.GET, base + "/api/trips/latest", token: issued.token).status == 404)
            let client = try await TestWebSocketClient.connect(port: port, token: issued.token)
            try await client.awaitFrame { $0.type == "connection_established" }
            try await client.send(["type": "user_message", "client_message_id": "m1", "content": TripTests.request])
            let received = try await client.awaitFrame { $0.type == "message_received" }
            let runID = try #require(received.runID)
            let frames = try await client.awaitRunEnd(runID: runID)
            #expect(frames.last?.type == "run_completed")
            try await client.close()

            let answer = try await Self.http(.GET, base + "/api/trips/latest", token: issued.token)
            #expect(answer.status == 200, "\(answer.body)")
            let latest = try JSONDecoder().decode(LatestTrip.self, from: Data(answer.body.utf8))
            #expect(latest.runID == runID)
            #expect(latest.status == "completed")
            #expect(latest.finalResponse == frames.last?["final_response"]?.stringValue)
            #expect(latest.trip?.destination == "Lisbon")
            #expect(latest.trip?.bookingReference?.hasPrefix("TRP-") == true)
            // Behind authentication; another user has no trip (and never sees this one).
            #expect(try await Self.http(.GET, base + "/api/trips/latest").status == 401)
            #expect(try await Self.http(.GET, base + "/api/trips/latest", token: otherToken).status == 404)
        } catch {
            await group.triggerGracefulShutdown()
            _ = await running.result
            try? server.close()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await running.value
        try server.close()
    }
}
