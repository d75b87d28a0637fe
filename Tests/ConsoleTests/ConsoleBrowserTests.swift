import AgentRuntime
import Foundation
import GRDB
import GoldenPathTesting
import Journal
import Testing

/// The web console in a real headless Chromium, driven through WebDriver: what a person sees and does, checked
/// against the journal. One browser test at a time (each starts Chromium), each with its own server and users.
@Suite(
    "Web console in Chromium", .serialized, .timeLimit(.minutes(5)),
    .enabled(if: Browser.isAvailable || Browser.isRequired, Browser.skipReason))
struct ConsoleBrowserTests {
    /// A question that runs every standard agent (triage finds the data sufficient).
    static let costQuestion = "Our cloud bill is $12,000 a month for 40 servers. Cut it."

    /// The frame events a run card shows as rows (`data-testid=event`): all but the acknowledgement and the
    /// answer's deltas and resets, which shape the streamed answer instead.
    static func rowEvents(_ events: [RecordedEvent]) -> [RecordedEvent] {
        events.filter {
            AgentEvent.frameTypes.contains($0.type)
                && !["message_received", "agent_response_delta", "agent_response_reset"].contains($0.type)
        }
    }

    /// Runs `body` with a live server and one browser signed up on it as `username`.
    func withSignedInPage(
        _ username: String, llm: (any LLMClient)? = nil, _ body: (LiveServer, ConsolePage) async throws -> Void
    ) async throws {
        try await withLiveServer(llm: llm) { server in
            try await Browser.withDriver { driver in
                let page = try await ConsolePage.open(driver, baseURL: server.baseURL)
                try await page.signUp(username)
                try await body(server, page)
            }
        }
    }

    @Test("sign up and send: triage's agent_started is on screen before the answer, the answer is the run's, and the run page has one lane per agent that ran")
    func chatShowsARunLive() async throws {
        try await withSignedInPage("console-ann") { server, page in
            let runID = try await page.send(Self.costQuestion)
            let answer = try await page.answer(of: runID)
            let journal = JournalAssertions(server.journal)
            let events = try await journal.runEvents(runID)
            let final = try #require(events.last { $0.type == "run_completed" })
            #expect(answer == (try JSONValue(parsing: final.payload))["final_response"]?.stringValue)

            // Order on screen, from the recorder's insertion times: triage started, then the final answer.
            let marks = try await page.marks().filter { $0["run"]?.stringValue == runID }
            let triage = marks.firstIndex {
                $0["type"]?.stringValue == "agent_started" && $0["agent"]?.stringValue == "triage"
            }
            let final_ = marks.firstIndex {
                $0["testid"]?.stringValue == "answer" && $0["state"]?.stringValue == "final"
            }
            #expect(triage != nil && final_ != nil && triage! < final_!, "triage start, then the answer: \(marks)")

            // Each frame event once; inside each agent's block in journal order.
            let rows = try await page.eventRows(of: runID)
            let expected = Self.rowEvents(events)
            #expect(rows.map(\.seq).sorted() == expected.map(\.seq))
            #expect(rows.map(\.seq).filter { seq in rows.first { $0.seq == seq }?.agent == "triage" }
                == expected.filter { $0.payload.contains("\"agent_name\":\"triage\"") }.map(\.seq))

            try await page.session.click("[data-agent=data] summary")  // opens one agent block
            try await page.session.execute("document.querySelector('#messages').scrollTop = 0")
            try await page.screenshot("console-chat.png")

            // The run page: one lane per agent that ran, named as the journal names them.
            try await page.session.click("[data-run-id=\"\(runID)\"] [data-testid=run-link]")
            try await page.waitFor("document.querySelectorAll('[data-testid=timeline-agent]').length > 0")
            let lanes = try await page.session.execute(
                "return [...document.querySelectorAll('[data-testid=timeline-agent]')].map((e) => e.dataset.agent)"
            ).arrayValue?.compactMap(\.stringValue) ?? []
            var started: [String] = []
            for event in events where event.type == "agent_started" {
                if let name = try JSONValue(parsing: event.payload)["agent_name"]?.stringValue,
                    !started.contains(name)
                {
                    started.append(name)
                }
            }
            #expect(lanes == started)
            #expect(Set(lanes) == ["supervisor", "triage", "data", "optimization", "actions", "reporting"])
            // The deliveries table names the page's connection, which received every frame of the run.
            let connections = try await journal.lines(
                "SELECT d.connection_id FROM deliveries d JOIN events e ON e.seq = d.seq WHERE e.run_id = ? "
                    + "GROUP BY d.connection_id ORDER BY MIN(d.id)",
                [runID])
            let shown = try await page.session.execute(
                "return [...document.querySelectorAll('.connection-summary code')].map((e) => e.textContent)"
            ).arrayValue?.compactMap(\.stringValue) ?? []
            #expect(shown == connections.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) })
            try await page.session.click(".bar.tool")
            try await page.waitFor("document.querySelector('[data-testid=inspector] pre')")
            try await page.screenshot("console-run.png")
            try await page.expectNoConsoleErrors()
        }
    }
}
