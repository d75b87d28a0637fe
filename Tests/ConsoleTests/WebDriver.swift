import AgentRuntime
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A W3C WebDriver error answer (`{"value": {"error", "message"}}`), or a driver that could not be reached.
struct WebDriverError: Error, CustomStringConvertible {
    let error: String
    let message: String

    var description: String { "WebDriver \(error): \(message)" }
}

/// The smallest W3C WebDriver client the console tests need, over HTTP/JSON against chromedriver: sessions,
/// navigation, elements, scripts, screenshots, the browser log, and Chromium's DevTools commands.
struct WebDriverSession: Sendable {
    /// `http://127.0.0.1:PORT` of chromedriver.
    let driverURL: String
    /// The session id.
    let id: String

    /// Opens headless Chromium with its console log recorded (`goog:loggingPrefs` browser ALL).
    static func open(driverURL: String, chromium: String) async throws -> WebDriverSession {
        let arguments: [JSONValue] = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900",
            "--force-device-scale-factor=1", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ]
        let capabilities: JSONValue = [
            "capabilities": [
                "alwaysMatch": [
                    "browserName": "chrome",
                    "goog:chromeOptions": ["binary": .string(chromium), "args": .array(arguments)],
                    "goog:loggingPrefs": ["browser": "ALL"],
                    "timeouts": ["script": 80_000, "pageLoad": 30_000],  // waitFor waits 60 s at most
                ]
            ]
        ]
        let value = try await send("POST", driverURL + "/session", capabilities)
        guard let id = value["sessionId"]?.stringValue else {
            throw WebDriverError(error: "no session", message: value.jsonText)
        }
        return WebDriverSession(driverURL: driverURL, id: id)
    }

    /// Ends the session (the browser quits).
    func close() async {
        _ = try? await command("DELETE", "")
    }

    /// Loads a URL and waits for its load event.
    func navigate(to url: String) async throws {
        _ = try await command("POST", "/url", ["url": .string(url)])
    }

    /// The element a CSS selector finds first (its WebDriver reference).
    func element(_ selector: String) async throws -> String {
        let value = try await command("POST", "/element", ["using": "css selector", "value": .string(selector)])
        guard let reference = value.objectValue?.values.first?.stringValue else {
            throw WebDriverError(error: "no such element", message: selector)
        }
        return reference
    }

    /// Clicks the element a selector finds.
    func click(_ selector: String) async throws {
        _ = try await command("POST", "/element/\(try await element(selector))/click", [:])
    }

    /// Types text into the element a selector finds, as keystrokes.
    func type(_ selector: String, _ text: String) async throws {
        _ = try await command("POST", "/element/\(try await element(selector))/value", ["text": .string(text)])
    }

    /// Runs a script in the page (`return …` gives the result).
    @discardableResult
    func execute(_ script: String, _ arguments: [JSONValue] = []) async throws -> JSONValue {
        try await command("POST", "/execute/sync", ["script": .string(script), "args": .array(arguments)])
    }

    /// Runs a script that calls its last argument with the result (`arguments[arguments.length - 1](value)`).
    func executeAsync(_ script: String, _ arguments: [JSONValue] = []) async throws -> JSONValue {
        try await command("POST", "/execute/async", ["script": .string(script), "args": .array(arguments)])
    }

    /// A PNG of the viewport.
    func screenshot() async throws -> Data {
        guard let text = try await command("GET", "/screenshot").stringValue, let data = Data(base64Encoded: text)
        else { throw WebDriverError(error: "screenshot", message: "not base64") }
        return data
    }

    /// The browser console entries since the last call (chromedriver's `se/log`, type `browser`).
    func browserLog() async throws -> [BrowserLogEntry] {
        let value = try await command("POST", "/se/log", ["type": "browser"])
        return (value.arrayValue ?? []).map { entry in
            BrowserLogEntry(
                level: entry["level"]?.stringValue ?? "", source: entry["source"]?.stringValue ?? "",
                message: entry["message"]?.stringValue ?? "")
        }
    }

    /// A script every new document of this session runs before the page's own scripts (DevTools
    /// `Page.addScriptToEvaluateOnNewDocument`; it is not subject to the page's Content-Security-Policy).
    func addScriptToEveryDocument(_ source: String) async throws {
        _ = try await command(
            "POST", "/goog/cdp/execute",
            ["cmd": "Page.addScriptToEvaluateOnNewDocument", "params": ["source": .string(source)]])
    }

    /// Sends a command of this session: `path` is relative to `/session/{id}`.
    func command(_ method: String, _ path: String, _ body: JSONValue? = nil) async throws -> JSONValue {
        try await Self.send(method, "\(driverURL)/session/\(id)\(path)", body)
    }

    static func send(_ method: String, _ url: String, _ body: JSONValue?) async throws -> JSONValue {
        var request = HTTPClientRequest(url: url)
        request.method = .RAW(value: method)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            request.body = .bytes(ByteBuffer(string: body.jsonText))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(90))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        let answer = (try? JSONValue(parsing: String(buffer: bytes))) ?? .null
        let value = answer["value"] ?? .null
        guard response.status.code < 300 else {
            throw WebDriverError(
                error: value["error"]?.stringValue ?? "HTTP \(response.status.code)",
                message: value["message"]?.stringValue.map { String($0.prefix(600)) } ?? String(buffer: bytes))
        }
        return value
    }
}

/// One entry of the browser's console log.
struct BrowserLogEntry: Sendable, CustomStringConvertible {
    /// `SEVERE`, `WARNING`, `INFO`, …
    let level: String
    /// `javascript`, `console-api`, `network`, `security`, …
    let source: String
    let message: String

    var description: String { "[\(level) \(source)] \(message)" }
}
