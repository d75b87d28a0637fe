import AgentRuntime
import Foundation
import GoldenPathTesting
import Testing

extension ConsoleBrowserTests {
    /// Markup a person (or a model quoting them) might send: it must show as these characters, and run nothing.
    static let markup = """
        <img src=x onerror="window.__pwned = 'img'; document.title = 'pwned'"><script>window.__pwned = 'script'</script>\
        <b onmouseover="window.__pwned = 'b'">bold?</b> How much can we save?
        """

    @Test("a message with <img onerror> and <script> shows as text — in the bubble, the answer that quotes it, the thread list and the reopened thread — and nothing runs")
    func markupIsShownAsText() async throws {
        try await withSignedInPage("console-markup") { server, page in
            let runID = try await page.send(Self.markup)
            let answer = try await page.answer(of: runID)
            #expect(answer.contains("<script>"), "the report quotes the request: \(answer.prefix(120))")
            try await expectInert(page)
            // Reopened from the API after a reload: still text.
            try await page.go("/")
            try await page.waitFor("document.querySelector('.thread-link')")
            try await page.session.click(".thread-link")
            _ = try await page.answer(of: runID)
            try await expectInert(page)
            let title = try await page.session.execute(
                "return document.querySelector('.thread-title').textContent"
            ).stringValue
            #expect(title?.hasPrefix("<img src=x") == true, "thread title: \(title ?? "none")")
            try await page.expectNoConsoleErrors()
        }
    }

    /// The page holds the markup as text only: the bubble's text is the message, no element came from it, no
    /// handler ran.
    func expectInert(_ page: ConsolePage, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let state = try await page.session.execute(
            """
            const bubble = document.querySelector('.user-message .bubble');
            return {
              bubble: bubble?.textContent ?? null,
              elements: bubble?.children.length ?? -1,
              injected: document.querySelectorAll('.messages img, .messages script, .messages b, .threads img').length,
              pwned: window.__pwned ?? null,
              title: document.title,
            };
            """)
        #expect(state["bubble"]?.stringValue == Self.markup, sourceLocation: sourceLocation)
        #expect(state["elements"]?.intValue == 0, sourceLocation: sourceLocation)
        #expect(state["injected"]?.intValue == 0, sourceLocation: sourceLocation)
        #expect(state["pwned"] == .null, "a handler ran: \(state)", sourceLocation: sourceLocation)
        #expect(state["title"]?.stringValue == "GoldenPath", sourceLocation: sourceLocation)
    }

    @Test("two browsers, two users, at the same time: neither page ever held the other's canary, and another user's run page is the same 'not found' as a run that does not exist")
    func twoUsersNeverSeeEachOther() async throws {
        try await withLiveServer { server in
            try await Browser.withDriver { driver in
                let pages = [
                    try await ConsolePage.open(driver, baseURL: server.baseURL),
                    try await ConsolePage.open(driver, baseURL: server.baseURL),
                ]
                let canaries = ["zqxalphacanary", "zqxbravocanary"]
                try await pages[0].signUp("console-alpha")
                try await pages[1].signUp("console-bravo")
                async let first = pages[0].send("Our cloud bill is high, \(canaries[0]). Cut it.")
                async let second = pages[1].send("Our cloud bill is high, \(canaries[1]). Cut it.")
                let runs = try await [first, second]
                for (page, runID) in zip(pages, runs) { _ = try await page.answer(of: runID) }

                // Each opens the other's run page, then a run id that does not exist.
                var notFound: [String] = []
                for (index, page) in pages.enumerated() {
                    for path in ["/runs/\(runs[1 - index])", "/runs/\(UUID().uuidString.lowercased())"] {
                        try await page.go(path)
                        notFound.append(
                            try await page.waitFor(
                                "document.querySelector('[data-testid=not-found]')?.closest('#run-detail').textContent"
                            ).stringValue ?? "")
                    }
                    try await page.go("/")
                    try await page.waitFor("document.querySelector('.thread-link')")
                    try await page.session.click(".thread-link")
                    _ = try await page.answer(of: runs[index])
                }
                #expect(Set(notFound).count == 1 && notFound.first?.contains("Run not found") == true, "\(notFound)")

                for (index, page) in pages.enumerated() {
                    let seen = try await page.recordedText()
                    #expect(seen.contains(canaries[index]), "the recorder saw the page's own canary")
                    #expect(!seen.contains(canaries[1 - index]), "page \(index) held the other user's canary")
                    // A 404 is logged by Chromium as a failed resource load: that one is expected.
                    try await page.expectNoConsoleErrors { $0.source == "network" && $0.message.contains("404") }
                }
                let journal = JournalAssertions(server.journal)
                #expect(try await journal.crossUserDeliveries().isEmpty)
                #expect(try await journal.crossUserEvents().isEmpty)
            }
        }
    }
}
