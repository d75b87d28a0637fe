import AgentRuntime
import ChildProcessSupport
import Foundation
import Testing

extension ConsoleBrowserTests {
    /// The `goldenpath` executable `swift build` put beside the test bundle.
    static var goldenpath: URL? {
        let debug = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/goldenpath")
        return [Bundle.main.bundleURL.appendingPathComponent("goldenpath"), debug]
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Starts `goldenpath serve` on `port` and waits until it says it serves.
    static func serve(_ executable: URL, journal: String, port: Int, secret: String, extra: [String] = [])
        async throws -> ChildProcess
    {
        let child = try await ChildProcess.start(
            executable, ["serve", "--db", journal, "--port", String(port), "--durability", "normal"] + extra,
            environment: ["GOLDENPATH_JWT_SECRET": secret])
        guard await child.awaitOutput(containing: "serving http://127.0.0.1:\(port)") else {
            throw WebDriverError(error: "serve", message: "goldenpath serve exited before it listened on \(port)")
        }
        return child
    }

    @Test("the server is SIGKILLed mid-run and started again on the same port and secret: the page reconnects by itself, resumes, and shows the resumed run complete with each event once")
    func reconnectsAfterTheServerIsKilled() async throws {
        let executable = try #require(Self.goldenpath, "build the goldenpath executable first (swift build)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("console-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let journal = directory.appendingPathComponent("journal.sqlite").path
        let secret = "console-crash-secret-\(UUID().uuidString)"
        let port = try FreePort.pick()
        // The scripted model answers after a minute: the run waits inside reporting's LLM call.
        let first = try await Self.serve(
            executable, journal: journal, port: port, secret: secret, extra: ["--scripted-delay-ms", "60000"])
        var second: ChildProcess?
        defer {
            for child in [first, second].compactMap({ $0 }) where child.isRunning { child.signal(SIGKILL) }
        }
        try await Browser.withDriver { driver in
            let page = try await ConsolePage.open(driver, baseURL: "http://127.0.0.1:\(port)")
            try await page.signUp("console-crash")
            let runID = try await page.send(Self.costQuestion)
            try await page.waitFor(
                "document.querySelector(`[data-run-id='${arguments[0]}'] [data-agent=reporting] [data-type=tool_executing]`)",
                [.string(runID)])
            let before = try await page.eventRows(of: runID)
            try await page.expectNoConsoleErrors()

            #expect(try await first.stop(SIGKILL) == .signalled(SIGKILL))
            try await page.waitFor(
                "document.querySelector('[data-testid=connection-status]').dataset.state === 'reconnecting'")
            second = try await Self.serve(executable, journal: journal, port: port, secret: secret)

            let answer = try await page.answer(of: runID)
            try await page.waitFor("document.querySelector('[data-testid=connection-status]').dataset.state === 'open'")
            // What the server says the run is, read by the page with its own token.
            let body = try await page.session.executeAsync(
                """
                const done = arguments[arguments.length - 1];
                const token = JSON.parse(localStorage.getItem("goldenpath.session")).token;
                fetch(`/api/runs/${arguments[0]}/events`, { headers: { Authorization: `Bearer ${token}` } })
                  .then((response) => response.json()).then(done, (error) => done(String(error)));
                """, [.string(runID)])
            let events = body["events"]?.arrayValue ?? []
            let frames = events.filter {
                AgentEvent.frameTypes.contains($0["type"]?.stringValue ?? "")
                    && !["message_received", "agent_response_delta", "agent_response_reset"]
                        .contains($0["type"]?.stringValue ?? "")
            }
            let rows = try await page.eventRows(of: runID)
            #expect(Set(rows.map(\.seq)).count == rows.count, "an event shown twice: \(rows.map(\.seq))")
            #expect(rows.map(\.seq).sorted() == frames.compactMap { $0["seq"]?.intValue }.map(Int64.init))
            #expect(Set(before.map(\.seq)).isSubset(of: rows.map(\.seq)))
            #expect(events.contains { $0["type"]?.stringValue == "run_recovery" }, "the run was resumed by start-up")
            let completed = events.filter { $0["type"]?.stringValue == "run_completed" }
            #expect(completed.count == 1)
            #expect(answer == completed.first?["payload"]?["final_response"]?.stringValue)
            #expect(try await page.session.execute(
                "return document.querySelector(`[data-run-id='${arguments[0]}']`).dataset.status", [.string(runID)]
            ) == "completed")
            // While the server was down, each reconnection attempt was refused: Chromium logs those, and only those.
            try await page.expectNoConsoleErrors {
                $0.message.contains("127.0.0.1:\(port)/ws") && $0.message.contains("ERR_CONNECTION_REFUSED")
            }
        }
        if let second { _ = try? await second.stop(SIGTERM) }
    }
}
