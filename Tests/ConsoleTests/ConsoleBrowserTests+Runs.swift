import AgentRuntime
import Foundation
import GRDB
import GoldenPathTesting
import Journal
import Testing

extension ConsoleBrowserTests {
    @Test("a reloaded page reopens the thread from /api/threads/{id}/messages with each run's events and answer, and a new message continues that thread")
    func threadsReopen() async throws {
        try await withSignedInPage("console-reopen") { server, page in
            let firstRun = try await page.send(Self.costQuestion)
            let answer = try await page.answer(of: firstRun)
            let live = try await page.eventRows(of: firstRun)

            try await page.go("/")
            try await page.waitFor("document.querySelector('.thread-link')")
            try await page.session.click(".thread-link")
            #expect(try await page.answer(of: firstRun) == answer)
            let reopened = try await page.eventRows(of: firstRun)
            #expect(reopened.map(\.seq) == live.map(\.seq) && reopened.map(\.type) == live.map(\.type))
            #expect(try await page.runIDs() == [firstRun])

            let secondRun = try await page.send("And our storage bill is $3,000 a month for 200 TB. Cut it.")
            _ = try await page.answer(of: secondRun)
            #expect(try await page.runIDs() == [firstRun, secondRun])
            let threads = try await JournalAssertions(server.journal).lines(
                "SELECT DISTINCT thread_id FROM events WHERE run_id IN (?, ?)", [firstRun, secondRun])
            #expect(threads.count == 1, "both runs are in one thread: \(threads)")
            try await page.waitFor("document.querySelector('.thread-link')?.textContent.includes('4 messages')")
            try await page.expectNoConsoleErrors()
        }
    }

    @Test("the stop button of a running run cancels it: the card ends 'cancelled' and the journal has run_cancelled")
    func stopButtonCancels() async throws {
        let faults = FaultPlan().llm(.delay(.seconds(30)), agent: "reporting")
        try await withSignedInPage("console-stop", llm: faults.makeLLM()) { server, page in
            let runID = try await page.send(Self.costQuestion)
            try await page.waitFor(
                "document.querySelector(`[data-run-id='${arguments[0]}'] [data-agent=reporting] [data-type=tool_executing]`)",
                [.string(runID)])
            try await page.session.click("[data-run-id='\(runID)'] [data-testid=stop-run]")
            try await page.waitFor(
                "document.querySelector(`[data-run-id='${arguments[0]}']`).dataset.status === 'cancelled'",
                [.string(runID)])
            let end = try await JournalAssertions(server.journal).awaitRunEnd(runID)
            #expect(end.type == "run_cancelled")
            let state = try await page.session.execute(
                """
                const card = document.querySelector(`[data-run-id='${arguments[0]}']`);
                return [card.querySelectorAll('[data-testid=stop-run]').length,
                  card.querySelectorAll('[data-testid=answer]').length,
                  card.querySelector('[data-type=run_cancelled]') !== null];
                """, [.string(runID)])
            #expect(state == [0, 0, true])
            try await page.expectNoConsoleErrors()
        }
    }

    @Test("streamed answers: deltas add up per response_id in chunk order, a reset drops that response, a repeated seq is ignored, run_completed replaces the streamed text")
    func streamingFold() async throws {
        try await withSignedInPage("console-stream") { server, page in
            // The fold the chat page uses, fed frames directly: order, gaps, resets and repeats on purpose.
            let snapshots = try await page.session.executeAsync(
                """
                const done = arguments[arguments.length - 1];
                import("/console/run-card.js").then(({ RunCard }) => { try {
                  const card = new RunCard("run-fold", { onStop: () => true });
                  document.querySelector("#messages").append(card.element);
                  const frame = (seq, type, fields) => card.add({ seq, type, run_id: "run-fold",
                    timestamp: new Date(Date.now() + seq).toISOString(), agent_name: "reporting", ...fields });
                  const answer = () => {
                    const element = card.element.querySelector("[data-testid=answer]");
                    return element ? `${element.dataset.state}:${element.querySelector(".answer-text").textContent}` : "none";
                  };
                  const seen = [];
                  frame(1, "agent_started", { task_description: "report" });
                  frame(2, "agent_response_delta", { response_id: "a", delta: "Hel", chunk_index: 0 });
                  frame(3, "agent_response_delta", { response_id: "a", delta: "lo", chunk_index: 1 });
                  seen.push(answer());
                  frame(4, "agent_response_reset", { response_id: "a", reason: "retry" });
                  seen.push(answer());
                  frame(6, "agent_response_delta", { response_id: "b", delta: " world", chunk_index: 1 });
                  seen.push(answer());
                  frame(5, "agent_response_delta", { response_id: "b", delta: "Hi", chunk_index: 0 });
                  seen.push(answer());
                  frame(5, "agent_response_delta", { response_id: "b", delta: "XX", chunk_index: 0 });
                  seen.push(answer());
                  frame(7, "agent_completed", { status: "completed", final_response: "Hi world", duration_ms: 5 });
                  frame(8, "run_completed", { status: "completed", final_response: "Hi world!", degraded: false });
                  seen.push(answer());
                  seen.push(card.element.querySelectorAll("[data-testid=event]").length);
                  done(seen);
                } catch (error) { done(String(error.stack)); } }, (error) => done(String(error)));
                """)
            #expect(
                snapshots == [
                    "streaming:Hello", "none", "streaming:", "streaming:Hi world", "streaming:Hi world",
                    "final:Hi world!", 3,
                ])
            try await page.expectNoConsoleErrors()
        }
    }
}

extension ConsoleBrowserTests {
    @Test("a model that streams: the answer shows as it streams (a prefix of the final answer), then the final answer replaces it")
    func answerStreamsLive() async throws {
        let llm = ScriptedLLM(streaming: .init(wordsPerChunk: 3, pace: .milliseconds(40)))
        try await withSignedInPage("console-streams", llm: llm) { server, page in
            let runID = try await page.send(Self.costQuestion)
            let streamed = try await page.waitFor(
                """
                document.querySelector(`[data-run-id='${arguments[0]}'] [data-testid=answer][data-state=streaming] .answer-text`)
                  ?.textContent
                """, [.string(runID)]
            ).stringValue ?? ""
            let answer = try await page.answer(of: runID)
            #expect(!streamed.isEmpty && streamed.count < answer.count && answer.hasPrefix(streamed))
            let events = try await JournalAssertions(server.journal).runEvents(runID)
            #expect(events.filter { $0.type == "agent_response_delta" }.count > 1)
            let final = try #require(events.last { $0.type == "run_completed" })
            #expect(answer == (try JSONValue(parsing: final.payload))["final_response"]?.stringValue)
            try await page.expectNoConsoleErrors()
        }
    }
}

extension ConsoleBrowserTests {
    @Test("the run page of a running run follows it over /ws: it shows the run open, then redraws it completed")
    func runPageFollowsALiveRun() async throws {
        let faults = FaultPlan().llm(.delay(.seconds(2)), agent: "reporting")
        try await withSignedInPage("console-follow", llm: faults.makeLLM()) { server, page in
            let runID = try await page.send(Self.costQuestion)
            try await page.waitFor(
                "document.querySelector(`[data-run-id='${arguments[0]}'] [data-agent=reporting] [data-type=tool_executing]`)",
                [.string(runID)])
            try await page.go("/runs/\(runID)")
            let open = try await page.waitFor("document.querySelector('.run-lane .badge')?.textContent")
            #expect(open == "running")
            try await page.waitFor("document.querySelector('[data-testid=connection-status]').dataset.state === 'open'")
            try await page.waitFor(
                "document.querySelector('.run-lane .badge')?.textContent === 'completed'", timeoutSeconds: 30)
            #expect(try await JournalAssertions(server.journal).awaitRunEnd(runID).type == "run_completed")
            let lanes = try await page.session.execute(
                "return document.querySelectorAll('[data-testid=timeline-agent]').length")
            #expect(lanes == 6)
            try await page.expectNoConsoleErrors()
        }
    }
}
