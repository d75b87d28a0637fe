import AgentRuntime
import Foundation
import Testing

/// One browser on the console: what a person does (sign up, send, click) and what the tests read back — the
/// page's recorder, its console log, screenshots.
///
/// Every page gets, before its own scripts run, a recorder (a MutationObserver on the whole document) that keeps
/// each text ever inserted, each attribute value ever set, and when each event row and answer appeared, with
/// `performance.now()` times; and the time of every press of the send button.
struct ConsolePage: Sendable {
    let session: WebDriverSession
    let baseURL: String

    static let recorder = """
        (() => {
          const log = { texts: [], marks: [], sends: [] };
          Object.defineProperty(window, "__recorder", { value: log });
          const watched = "[data-testid=event],[data-testid=answer],[data-testid=not-found]";
          const mark = (element, at) => {
            const found = element.matches?.(watched) ? [element] : [];
            for (const inner of element.querySelectorAll?.(watched) ?? []) found.push(inner);
            for (const item of found) {
              log.marks.push({ at, testid: item.dataset.testid, type: item.dataset.type ?? null,
                agent: item.dataset.agent ?? null, seq: item.dataset.seq ?? null, state: item.dataset.state ?? null,
                run: item.closest("[data-run-id]")?.dataset.runId ?? null });
            }
          };
          new MutationObserver((records) => {
            const at = performance.now();
            for (const record of records) {
              if (record.type === "characterData") log.texts.push(record.target.data);
              else if (record.type === "attributes") {
                log.texts.push(record.target.getAttribute(record.attributeName) ?? "");
                if (record.attributeName === "data-state") mark(record.target, at);
              } else for (const node of record.addedNodes) {
                log.texts.push(node.textContent ?? "");
                if (node.nodeType === 1) mark(node, at);
              }
            }
          }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
          document.addEventListener("click", (event) => {
            if (event.target.closest?.("[data-testid=message-send]")) log.sends.push(performance.now());
          }, true);
        })();
        """

    /// Opens a browser with the recorder installed.
    static func open(_ driver: ChromeDriver, baseURL: String) async throws -> ConsolePage {
        let session = try await driver.open()
        try await session.addScriptToEveryDocument(recorder)
        return ConsolePage(session: session, baseURL: baseURL)
    }

    func go(_ path: String) async throws {
        try await session.navigate(to: baseURL + path)
    }

    /// Signs a new user up through the form on `/` and waits until the connection is up.
    func signUp(_ username: String, password: String = "password-123456") async throws {
        try await go("/")
        try await waitFor("document.querySelector('[data-testid=login-username]')")
        try await session.type("[data-testid=login-username]", username)
        try await session.type("[data-testid=login-password]", password)
        try await session.click("[data-testid=signup-submit]")
        try await waitFor("document.querySelector('[data-testid=connection-status]')?.dataset.state === 'open'")
    }

    /// Types a message and presses send; returns the run id the page attached to it.
    func send(_ message: String) async throws -> String {
        let before = try await runIDs()
        try await session.type("[data-testid=message-input]", message)
        try await session.click("[data-testid=message-send]")
        let known = JSONValue.array(before.map { .string($0) })
        let value = try await waitFor(
            """
            [...document.querySelectorAll('[data-run-id]')].map((e) => e.dataset.runId)
              .find((id) => !arguments[0].includes(id))
            """, [known])
        guard let runID = value.stringValue else { throw WebDriverError(error: "send", message: "no run id") }
        return runID
    }

    /// The run ids of the cards on screen, in order.
    func runIDs() async throws -> [String] {
        try await session.execute("return [...document.querySelectorAll('[data-run-id]')].map((e) => e.dataset.runId)")
            .arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// Waits for a run's final answer and returns its text.
    func answer(of runID: String) async throws -> String {
        try await waitFor(
            """
            document.querySelector(`[data-run-id="${arguments[0]}"] [data-testid=answer][data-state=final] .answer-text`)
              ?.textContent
            """, [.string(runID)]
        ).stringValue ?? ""
    }

    /// The event rows of a run on screen: (seq, type, agent), in document order.
    func eventRows(of runID: String) async throws -> [(seq: Int64, type: String, agent: String?)] {
        let rows = try await session.execute(
            """
            return [...document.querySelectorAll(`[data-run-id="${arguments[0]}"] [data-testid=event]`)]
              .map((e) => [Number(e.dataset.seq), e.dataset.type, e.dataset.agent ?? null]);
            """, [.string(runID)])
        return (rows.arrayValue ?? []).compactMap { row in
            guard let seq = row.arrayValue?.first?.intValue, let type = row.arrayValue?[1].stringValue else {
                return nil
            }
            return (Int64(seq), type, row.arrayValue?[2].stringValue)
        }
    }

    /// Waits (on a MutationObserver in the page, not a sleep) until the JavaScript expression is truthy and
    /// returns its value. The expression may use `arguments[0…]`.
    @discardableResult
    func waitFor(_ expression: String, _ arguments: [JSONValue] = [], timeoutSeconds: Int = 60) async throws
        -> JSONValue
    {
        let script = """
            const done = arguments[arguments.length - 1];
            const test = () => { try { return (\(expression)); } catch (error) { return null; } };
            const first = test();
            if (first) return done(first);
            const timer = setTimeout(() => { observer.disconnect(); done({ __timeout: true }); }, \(timeoutSeconds * 1000));
            const observer = new MutationObserver(() => {
              const value = test();
              if (value) { observer.disconnect(); clearTimeout(timer); done(value); }
            });
            observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
            """
        let value = try await session.executeAsync(script, arguments)
        if value["__timeout"]?.boolValue == true {
            throw WebDriverError(error: "timeout", message: "waited \(timeoutSeconds) s for: \(expression)")
        }
        return value
    }

    /// Every text the recorder saw inserted, joined.
    func recordedText() async throws -> String {
        try await session.execute("return window.__recorder.texts.join('\\n')").stringValue ?? ""
    }

    /// The recorder's marks: when each event row and answer state appeared.
    func marks() async throws -> [JSONValue] {
        try await session.execute("return window.__recorder.marks").arrayValue ?? []
    }

    /// Records an issue for each console error (level SEVERE) since the last call, except those `allowed` says
    /// are expected.
    func expectNoConsoleErrors(
        allowing allowed: (BrowserLogEntry) -> Bool = { _ in false }, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        for entry in try await session.browserLog() where entry.level == "SEVERE" && !allowed(entry) {
            Issue.record("browser console: \(entry)", sourceLocation: sourceLocation)
        }
    }

    /// Saves a screenshot as `name` in the folder `GOLDENPATH_SCREENSHOTS` names (nothing when it is unset).
    func screenshot(_ name: String) async throws {
        guard let folder = ProcessInfo.processInfo.environment["GOLDENPATH_SCREENSHOTS"], !folder.isEmpty else {
            return
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try await session.screenshot().write(to: URL(fileURLWithPath: folder).appendingPathComponent(name))
    }

    /// The session token the page holds (to ask the API what the page should show).
    func token() async throws -> String {
        try await session.execute("return JSON.parse(localStorage.getItem('goldenpath.session')).token")
            .stringValue ?? ""
    }
}
