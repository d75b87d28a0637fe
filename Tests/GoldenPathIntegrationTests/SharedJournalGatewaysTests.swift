import AgentRuntime
import ChildProcessSupport
import Foundation
import Gateway
import GoldenPathTesting
import Journal
import JournalPostgres
import Testing

/// Two real `goldenpath serve --database-url …` processes on one PostgreSQL journal (SPEC section 7): a user with a
/// connection on each receives every frame of the user's runs on both, in the same order, whichever gateway ran the
/// run; another user's connections receive none; `resume` on the other process re-sends what the first one ran;
/// each process records the deliveries of its own sockets; `verify --strict` passes on the shared journal.
///
/// Runs when `GOLDENPATH_POSTGRES_URL` names a server (`.ci/run` starts one); `GOLDENPATH_REQUIRE_POSTGRES=1` makes
/// a missing server a failure.
@Suite("Two gateways on one PostgreSQL journal", .serialized, .timeLimit(.minutes(5)))
struct SharedJournalGatewaysTests {
    /// The PostgreSQL tests run when there is a server, or when one is required (then its absence fails them).
    static let needsPostgres = ConditionTrait.enabled(
        if: TestPostgres.runsTests, "GOLDENPATH_POSTGRES_URL is not set: this test needs a PostgreSQL server")

    /// The event frames `client` received of `runs`, as `seq type` in arrival order.
    static func eventFrames(_ client: TestWebSocketClient, of runs: Set<String>) -> [String] {
        client.frames.compactMap { frame in
            guard let seq = frame.seq, let runID = frame.runID, runs.contains(runID) else { return nil }
            return "\(seq) \(frame.type ?? "?")"
        }
    }

    /// The test server's URL and the `goldenpath` executable, or the test's failure.
    static func serverAndExecutable() throws -> (String, URL) {
        let base = try #require(TestPostgres.url, "GOLDENPATH_REQUIRE_POSTGRES=1 but GOLDENPATH_POSTGRES_URL is not set")
        let executable = try #require(CrashRecoveryTests.executable, "build the goldenpath executable first (swift build)")
        return (base, executable)
    }

    /// A journal of its own on the test server (a fresh schema), the gateways' shared signing secret, and the
    /// `goldenpath` executable.
    static func sharedJournal(_ name: String) async throws -> (url: String, secret: String, tokens: TokenService, executable: URL) {
        let (base, executable) = try serverAndExecutable()
        let secret = "\(name)-secret-\(UUID().uuidString)"
        let url = base + "?search_path=\(name)_\(UUID().uuidString.prefix(8).lowercased())"
        return (url, secret, try await TokenService(secret: secret), executable)
    }

    static func connect(_ port: Int, _ token: String) async throws -> (TestWebSocketClient, String) {
        let client = try await TestWebSocketClient.connect(port: port, token: token)
        let established = try await client.awaitFrame("connection_established") { $0.type == "connection_established" }
        return (client, try #require(established["connection_id"]?.stringValue))
    }

    @Test(
        "a user on both gateways gets every frame of their runs on each, in one order; the other user none; resume and verify work across them",
        needsPostgres)
    func twoGateways() async throws {
        let (url, secret, tokens, executable) = try await Self.sharedJournal("gateways")
        let alice = "pg-alice-\(UUID().uuidString)"
        let bob = "pg-bob-\(UUID().uuidString)"
        let aliceToken = try await tokens.issue(userID: alice).token
        let bobToken = try await tokens.issue(userID: bob).token

        let gatewayA = try await CrashRecoveryTests.ServeProcess.start(
            executable: executable, journal: ["--database-url", url], secret: secret)
        let gatewayB = try await CrashRecoveryTests.ServeProcess.start(
            executable: executable, journal: ["--database-url", url], secret: secret)

        let (aliceOnA, aliceA) = try await Self.connect(gatewayA.port, aliceToken)
        let (aliceOnB, aliceB) = try await Self.connect(gatewayB.port, aliceToken)
        let (bobOnB, bobB) = try await Self.connect(gatewayB.port, bobToken)

        // One run of alice's executed by each gateway, and bob's beside them.
        let onA = try await sendMessage(aliceOnA, content: RecoveryMessages.sufficient)
        let bobs = try await sendMessage(bobOnB, content: RecoveryMessages.insufficient)
        let onB = try await sendMessage(aliceOnB, content: RecoveryMessages.partial)
        for run in [onA, onB] {
            try await aliceOnA.awaitRunEnd(runID: run)
            try await aliceOnB.awaitRunEnd(runID: run)
        }
        try await bobOnB.awaitRunEnd(runID: bobs)

        let alicesRuns: Set<String> = [onA, onB]
        let seenOnA = Self.eventFrames(aliceOnA, of: alicesRuns)
        #expect(seenOnA.count > 40, "\(seenOnA.count) frames")
        #expect(Self.eventFrames(aliceOnB, of: alicesRuns) == seenOnA, "the same frames in the same order")
        for client in [aliceOnA, aliceOnB] {
            #expect(client.frames.allSatisfy { $0.runID != bobs && ($0.userID == nil || $0.userID == alice) })
        }
        #expect(bobOnB.frames.allSatisfy { $0.runID.map { !alicesRuns.contains($0) } ?? true })
        #expect(!Self.eventFrames(bobOnB, of: [bobs]).isEmpty)

        let journal = try await EventJournal.open(databaseURL: url, configuration: GoldenPathJournal.configuration())
        let assertions = JournalAssertions(journal)
        // Each process recorded its own sockets' deliveries, exactly as they were received.
        #expect(try await assertions.deliveryMismatches(connectionID: aliceA, received: aliceOnA.frames).isEmpty)
        #expect(try await assertions.deliveryMismatches(connectionID: aliceB, received: aliceOnB.frames).isEmpty)
        #expect(try await assertions.deliveryMismatches(connectionID: bobB, received: bobOnB.frames).isEmpty)

        // A new connection on B resumes from the start: it re-sends the run that A executed, as A sent it.
        let (resumed, _) = try await Self.connect(gatewayB.port, aliceToken)
        try await resumed.send(["type": "resume", "after_seq": 0])
        for run in [onA, onB] { try await resumed.awaitRunEnd(runID: run) }
        #expect(Self.eventFrames(resumed, of: [onA]) == Self.eventFrames(aliceOnA, of: [onA]))
        #expect(resumed.frames.allSatisfy { $0.runID != bobs })

        #expect(try await assertions.crossUserDeliveries().isEmpty)
        #expect(try await assertions.crossUserEvents().isEmpty)
        for client in [aliceOnA, aliceOnB, bobOnB, resumed] { try? await client.close() }
        _ = try await gatewayA.kill(SIGTERM)
        _ = try await gatewayB.kill(SIGTERM)
        let (status, output) = try await CrashRecoveryTests.runCommand(
            executable, ["verify", "--database-url", url, "--strict"])
        #expect(status == 0, "\(output)")
        #expect(output.contains("verify: ok"))
        #expect(output.contains("skipped  sqlite"))
        // replay --verify re-executes a run of the shared journal in a temporary SQLite copy of its events.
        let (replayed, replay) = try await CrashRecoveryTests.runCommand(
            executable, ["replay", "--database-url", url, onA, "--verify"])
        #expect(replayed == 0, "\(replay)")
        #expect(replay.contains("\(onA): clean"), "\(replay)")
        try journal.close()
    }

    @Test("--db and --database-url: exclusive, the flag over the environment, backup names pg_dump, serve needs the shared secret (exit 64)")
    func usage() async throws {
        let executable = try #require(CrashRecoveryTests.executable, "build the goldenpath executable first (swift build)")
        let url = "postgres://nobody@127.0.0.1:1/none"
        let cases: [(arguments: [String], environment: [String: String], says: String)] = [
            (["verify", "--db", "x.sqlite", "--database-url", url], [:], "--db and --database-url cannot be combined"),
            (["runs"], ["GOLDENPATH_DB": "x.sqlite", "GOLDENPATH_DATABASE_URL": url], "are both set"),
            (["backup", "--database-url", url, "/tmp/never-written.sqlite"], [:], "pg_dump"),
            (["serve", "--database-url", url], ["GOLDENPATH_JWT_SECRET": "too-short"], "GOLDENPATH_JWT_SECRET"),
            (["demo", "--database-url", url], [:], "SQLite journal (--db) only"),
        ]
        for (arguments, environment, says) in cases {
            let result = try await ChildProcess.run(executable, arguments, environment: environment, mergingErrors: true)
            #expect(result.status == 64, "\(arguments): \(result.standardOutput)")
            #expect(result.standardOutput.contains(says), "\(arguments): \(result.standardOutput)")
        }
        // A flag wins over the other variable: --db with GOLDENPATH_DATABASE_URL set reads the file.
        let directory = try RecoveryDirectory()
        defer { directory.remove() }
        let flagWins = try await ChildProcess.run(
            executable, ["runs", "--db", directory.journalPath], environment: ["GOLDENPATH_DATABASE_URL": url],
            mergingErrors: true)
        #expect(flagWins.status == 2 && flagWins.standardOutput.contains("no journal at \(directory.journalPath)"))
    }

    @Test(
        "copy moves an SQLite journal into an empty PostgreSQL one — every seq, hash, delivery and account — it verifies, a gateway goes on on it, a second copy is refused",
        needsPostgres)
    func copy() async throws {
        let (base, executable) = try Self.serverAndExecutable()
        let directory = try RecoveryDirectory()
        defer { directory.remove() }
        let secret = "copy-secret-\(UUID().uuidString)"
        let password = "copy-password-1"
        func chat(_ port: Int, _ user: String, signUp: Bool, _ message: String) async throws -> Int32 {
            let result = try await ChildProcess.run(
                executable,
                ["chat", "--url", "http://127.0.0.1:\(port)", "--user", user, "--password", password]
                    + (signUp ? ["--signup"] : []) + [message], mergingErrors: true)
            return result.status
        }
        let file = try await CrashRecoveryTests.ServeProcess.start(
            executable: executable, path: directory.journalPath, secret: secret)
        #expect(try await chat(file.port, "copy-ann", signUp: true, RecoveryMessages.sufficient) == 0)
        #expect(try await chat(file.port, "copy-ben", signUp: true, RecoveryMessages.partial) == 0)
        _ = try await file.kill(SIGTERM)

        let url = base + "?search_path=copy_\(UUID().uuidString.prefix(8).lowercased())"
        let (status, output) = try await CrashRecoveryTests.runCommand(
            executable, ["copy", "--db", directory.journalPath, "--database-url", url])
        #expect(status == 0, "\(output)")
        #expect(output.contains("copy: ok"))

        let source = try GoldenPathJournal.open(path: directory.journalPath)
        let target = try await EventJournal.open(databaseURL: url, configuration: GoldenPathJournal.configuration())
        let sourceEvents = try await source.events().map { "\($0.seq) \($0.eventID) \($0.hash)" }
        #expect(sourceEvents.count > 50)
        #expect(try await target.events().map { "\($0.seq) \($0.eventID) \($0.hash)" } == sourceEvents)
        for query in [
            RowQuery(
                from: "deliveries",
                columns: ["id", "seq", "connection_id", "recipient_user_id", "frame_type", "sent_at"], orderBy: ["id"]),
            RowQuery(from: "users", columns: ["user_id", "username", "password_hash"], orderBy: ["user_id"]),
            RowQuery(from: "runs", columns: ["run_id", "status", "event_count", "agents"], orderBy: ["run_id"]),
        ] {
            let copied = try await target.rows(query).map(\.columns.description)
            #expect(try await source.rows(query).map(\.columns.description) == copied, "\(query)")
            #expect(!copied.isEmpty, "\(query)")
        }
        try source.close()

        // The copy is a journal like any other: an account logs in on a gateway over it, and its run is appended
        // after the copied events (and its deliveries after the copied ones).
        let shared = try await CrashRecoveryTests.ServeProcess.start(
            executable: executable, journal: ["--database-url", url], secret: secret)
        #expect(try await chat(shared.port, "copy-ann", signUp: false, RecoveryMessages.insufficient) == 0)
        _ = try await shared.kill(SIGTERM)
        let (verified, report) = try await CrashRecoveryTests.runCommand(
            executable, ["verify", "--database-url", url, "--strict"])
        #expect(verified == 0, "\(report)")
        #expect(try await target.headSeq() > Int64(sourceEvents.count))
        try target.close()

        let (again, refused) = try await CrashRecoveryTests.runCommand(
            executable, ["copy", "--db", directory.journalPath, "--database-url", url])
        #expect(again == 2)
        #expect(refused.contains("already holds a journal"), "\(refused)")
    }

    @Test(
        "runs are leased: a gateway that starts leaves another's live run alone; once that gateway is SIGKILLed its run is resumed by the other, exactly once",
        needsPostgres)
    func leasedRunsAreTakenOverOnce() async throws {
        let (url, secret, tokens, executable) = try await Self.sharedJournal("leases")
        let alice = "lease-alice-\(UUID().uuidString)"
        let token = try await tokens.issue(userID: alice).token
        // A's model answers after a minute: its run is in flight when A dies. Leases of 2 s, renewed every 0.7 s.
        let gatewayA = try await CrashRecoveryTests.ServeProcess.start(
            executable: executable, journal: ["--database-url", url], secret: secret,
            extra: ["--scripted-delay-ms", "60000", "--lease-seconds", "2"])
        let (onA, _) = try await Self.connect(gatewayA.port, token)
        let runID = try await sendMessage(onA, content: RecoveryMessages.sufficient)
        try await onA.awaitFrame("reporting's model call") {
            $0.runID == runID && $0.type == "tool_executing" && $0.toolName == "llm_report_generation"
        }

        // B's start-up recovery has run once it serves: it found the run open, and leased by a live gateway.
        let gatewayB = try await CrashRecoveryTests.ServeProcess.start(
            executable: executable, journal: ["--database-url", url], secret: secret, extra: ["--lease-seconds", "2"])
        let journal = try await EventJournal.open(databaseURL: url, configuration: GoldenPathJournal.configuration())
        #expect(try await journal.stream(EventStreams.run(runID)).allSatisfy { $0.type != "run_recovery" })

        let lastSeen = onA.frames.compactMap(\.seq).max() ?? 0
        #expect(try await gatewayA.kill(SIGKILL) == .signalled(SIGKILL))
        try? await onA.close()
        let (onB, _) = try await Self.connect(gatewayB.port, token)
        try await onB.send(["type": "resume", "after_seq": Int(lastSeen)])
        try await onB.awaitRunEnd(runID: runID)

        let events = try await journal.stream(EventStreams.run(runID))
        #expect(events.filter { AgentEvent.terminalTypes.contains($0.type) }.map(\.type) == ["run_completed"])
        let recoveries = events.filter { $0.type == "run_recovery" }
        #expect(recoveries.count == 1)
        #expect(recoveries.first?.payload.contains(#""decision":"resumed""#) == true, "\(recoveries)")
        #expect(terminalFrames(onB.frames, runID: runID).count == 1)
        try? await onB.close()
        _ = try await gatewayB.kill(SIGTERM)
        let (status, output) = try await CrashRecoveryTests.runCommand(
            executable, ["verify", "--database-url", url, "--strict"])
        #expect(status == 0, "\(output)")
        try journal.close()
    }
}
