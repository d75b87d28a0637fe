import AgentRuntime
import Foundation
import GRDB
import Gateway
import GoldenPathTesting
import Journal
import Synchronization
import Testing

/// SPEC §3's login and sign-up throttling over real HTTP, with client addresses named by `X-Forwarded-For`
/// behind a trusted proxy (the loopback peer), and a clock the test moves.
@Suite("Login and sign-up throttling", .timeLimit(.minutes(5)))
struct LoginThrottleTests {
    /// A clock the test sets.
    final class TestClock: Sendable {
        private let now = Mutex(Date(timeIntervalSince1970: 1_900_000_000))
        var date: Date { now.withLock { $0 } }
        func advance(by seconds: TimeInterval) { now.withLock { $0 += seconds } }
    }

    static func body(_ username: String, _ password: String) -> String {
        JSONValue.object(["username": .string(username), "password": .string(password)]).jsonText
    }

    /// A login from `address` (behind the trusted loopback proxy).
    static func logIn(
        _ server: LiveServer, _ username: String, _ password: String, from address: String
    ) async throws -> LiveServer.HTTPAnswer {
        try await server.http(
            "POST", "/auth/login", body: body(username, password), headers: ["X-Forwarded-For": address])
    }

    static func configure(_ clock: TestClock) -> (inout GatewayConfiguration) -> Void {
        { configuration in
            configuration.clock = { clock.date }
            configuration.trustedProxies = [IPAddressRange("127.0.0.0/8"), IPAddressRange("::1")].compactMap { $0 }
        }
    }

    @Test("one user name from one address: five failures answer 401, the sixth 429 with Retry-After, even with the right password")
    func perUserAndAddress() async throws {
        let clock = TestClock()
        try await withLiveServer(configure: Self.configure(clock)) { server in
            _ = try await server.signUp(username: "throttled-ann")
            for attempt in 1...5 {
                let answer = try await Self.logIn(server, "throttled-ann", "wrong-password-\(attempt)", from: "10.1.1.1")
                #expect(answer.status == 401, "attempt \(attempt): \(answer.body)")
            }
            let refused = try await Self.logIn(server, "throttled-ann", "password-123456", from: "10.1.1.1")
            #expect(refused.status == 429)
            #expect(refused.json["error"]?["code"] == "RATE_LIMITED")
            #expect(refused.header("Retry-After") == "900")
            // Another address is not throttled for this name: the right password works there.
            let elsewhere = try await Self.logIn(server, "throttled-ann", "password-123456", from: "10.1.1.2")
            #expect(elsewhere.status == 200, "\(elsewhere.body)")
            // Refused attempts do not count: once the first failure leaves its window (15 minutes), one slot opens.
            clock.advance(by: 600)
            let later = try await Self.logIn(server, "throttled-ann", "password-123456", from: "10.1.1.1")
            #expect(later.status == 429)
            #expect(later.header("Retry-After") == "300")
            clock.advance(by: 301)
            let open = try await Self.logIn(server, "throttled-ann", "password-123456", from: "10.1.1.1")
            #expect(open.status == 200, "\(open.body)")
        }
    }

    @Test("an unknown user name gets the same answers as a known one: 401 five times, then the same 429")
    func unknownUserSameAnswer() async throws {
        let clock = TestClock()
        try await withLiveServer(configure: Self.configure(clock)) { server in
            _ = try await server.signUp(username: "known-bea")
            var known: [LiveServer.HTTPAnswer] = []
            var unknown: [LiveServer.HTTPAnswer] = []
            for _ in 1...6 {
                known.append(try await Self.logIn(server, "known-bea", "wrong-password", from: "10.2.0.1"))
                unknown.append(try await Self.logIn(server, "nobody-bea", "wrong-password", from: "10.2.0.2"))
            }
            #expect(known.map(\.status) == [401, 401, 401, 401, 401, 429])
            #expect(known.map(\.status) == unknown.map(\.status))
            #expect(known.map(\.body) == unknown.map(\.body))
            #expect(known.last?.header("Retry-After") == unknown.last?.header("Retry-After"))
        }
    }

    @Test("thirty failures from one address over different names: the 31st answers 429; another address does not")
    func perAddress() async throws {
        let clock = TestClock()
        try await withLiveServer(configure: Self.configure(clock)) { server in
            for index in 1...30 {
                let answer = try await Self.logIn(server, "flood-\(index)", "wrong-password", from: "10.3.0.1")
                #expect(answer.status == 401)
            }
            let refused = try await Self.logIn(server, "flood-31", "wrong-password", from: "10.3.0.1")
            #expect(refused.status == 429)
            #expect(refused.header("Retry-After") == "60")
            let other = try await Self.logIn(server, "flood-31", "wrong-password", from: "10.3.0.2")
            #expect(other.status == 401)
            clock.advance(by: 61)
            let afterWindow = try await Self.logIn(server, "flood-32", "wrong-password", from: "10.3.0.1")
            #expect(afterWindow.status == 401)
        }
    }

    @Test("X-Forwarded-For counts only behind a trusted proxy; the right-most untrusted hop is the client")
    func forwardedFor() async throws {
        let clock = TestClock()
        try await withLiveServer(configure: { $0.clock = { clock.date } }) { server in
            // No trusted proxy: the header is ignored and every attempt counts for the loopback peer.
            for index in 1...5 {
                let answer = try await Self.logIn(server, "xff-cy", "wrong-\(index)", from: "10.4.0.\(index)")
                #expect(answer.status == 401)
            }
            let refused = try await Self.logIn(server, "xff-cy", "wrong", from: "10.4.0.9")
            #expect(refused.status == 429)
        }
        #expect(
            IPAddressRange("10.0.0.0/8")?.contains("10.200.3.4") == true
                && IPAddressRange("10.0.0.0/8")?.contains("11.0.0.1") == false
                && IPAddressRange("2001:db8::/32")?.contains("2001:db8:1::5") == true
                && IPAddressRange("2001:db8::/32")?.contains("2001:db9::5") == false
                && IPAddressRange("not-an-address") == nil && IPAddressRange("10.0.0.0/33") == nil)
        try await withLiveServer(configure: Self.configure(clock)) { server in
            // The client forged a first hop; the proxy appended the real one (right-most).
            for _ in 1...5 {
                let answer = try await server.http(
                    "POST", "/auth/login", body: Self.body("xff-dee", "wrong"),
                    headers: ["X-Forwarded-For": "1.2.3.4, 10.5.0.1"])
                #expect(answer.status == 401)
            }
            let sameClient = try await server.http(
                "POST", "/auth/login", body: Self.body("xff-dee", "wrong"),
                headers: ["X-Forwarded-For": "9.9.9.9, 10.5.0.1"])
            #expect(sameClient.status == 429)
        }
    }

    @Test("sign-ups: the 21st from one address within a minute answers 429; a minute later it is accepted")
    func signUps() async throws {
        let clock = TestClock()
        try await withLiveServer(configure: {
            Self.configure(clock)(&$0)
            $0.limits.signupsPerAddressPerMinute = 20
        }) { server in
            for index in 1...20 {
                let answer = try await server.http(
                    "POST", "/auth/signup", body: Self.body("signup-\(index)", "password-123456"),
                    headers: ["X-Forwarded-For": "10.6.0.1"])
                #expect(answer.status == 201, "\(answer.body)")
            }
            let refused = try await server.http(
                "POST", "/auth/signup", body: Self.body("signup-21", "password-123456"),
                headers: ["X-Forwarded-For": "10.6.0.1"])
            #expect(refused.status == 429)
            #expect(refused.json["error"]?["code"] == "RATE_LIMITED")
            #expect(refused.header("Retry-After") == "60")
            let journal = JournalAssertions(server.journal)
            #expect(try await journal.integer("SELECT COUNT(*) FROM users WHERE username = 'signup-21'") == 0)
            clock.advance(by: 60)
            let accepted = try await server.http(
                "POST", "/auth/signup", body: Self.body("signup-21", "password-123456"),
                headers: ["X-Forwarded-For": "10.6.0.1"])
            #expect(accepted.status == 201)
        }
    }

    @Test("a sign-up whose commit fails leaves neither the account nor its event; the retry creates both, once")
    func signUpIsOneTransaction() async throws {
        let fault = SwitchableStorageFault()
        try await withLiveServer(configure: { $0.journalFaultInjector = fault }) { server in
            fault.fail(with: .ioError)
            let failed = try await server.http("POST", "/auth/signup", body: Self.body("atomic-eve", "password-123456"))
            #expect(failed.status == 503)
            fault.clear()
            let journal = JournalAssertions(server.journal)
            #expect(try await journal.integer("SELECT COUNT(*) FROM users WHERE username = 'atomic-eve'") == 0)
            let created = try await server.signUp(username: "atomic-eve")
            #expect(try await journal.integer("SELECT COUNT(*) FROM users WHERE username = 'atomic-eve'") == 1)
            #expect(
                try await journal.integer(
                    "SELECT COUNT(*) FROM events WHERE type = 'user_signed_up' AND user_id = ?", [created.userID]) == 1)
            #expect(
                try await journal.integer(
                    "SELECT COUNT(*) FROM events WHERE type = 'user_signed_up' AND payload LIKE '%atomic-eve%'") == 1)
        }
    }
}
