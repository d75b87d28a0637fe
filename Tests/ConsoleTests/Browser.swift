import AgentRuntime
import ChildProcessSupport
import Foundation
import Synchronization
import Testing

/// Headless Chromium through chromedriver, for the console tests: where the two programs are, whether a missing
/// browser skips or fails the tests (`GOLDENPATH_REQUIRE_BROWSER=1`), and a chromedriver child per test.
enum Browser {
    /// Chromium: `GOLDENPATH_CHROMIUM`, else the first of the usual Debian paths that exists.
    static let chromium: String? = locate(
        environment: "GOLDENPATH_CHROMIUM", candidates: ["/usr/bin/chromium", "/usr/bin/chromium-browser"])
    /// chromedriver: `GOLDENPATH_CHROMEDRIVER`, else Debian's `chromium-driver` path or `PATH`.
    static let chromedriver: String? = locate(
        environment: "GOLDENPATH_CHROMEDRIVER",
        candidates: ["/usr/bin/chromedriver"]
            + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/chromedriver" })
    /// Whether both are installed.
    static var isAvailable: Bool { chromium != nil && chromedriver != nil }
    /// `GOLDENPATH_REQUIRE_BROWSER=1` (set by .ci/run): a missing browser is a failure, not a skip.
    static var isRequired: Bool { ProcessInfo.processInfo.environment["GOLDENPATH_REQUIRE_BROWSER"] == "1" }
    /// Why the browser tests do not run here.
    static let skipReason: Comment = """
        browser tests skipped: install Debian's chromium and chromium-driver (apt-get install -y chromium \
        chromium-driver) or set GOLDENPATH_CHROMIUM / GOLDENPATH_CHROMEDRIVER; GOLDENPATH_REQUIRE_BROWSER=1 makes \
        this a failure
        """

    private static func locate(environment name: String, candidates: [String]) -> String? {
        if let path = ProcessInfo.processInfo.environment[name], !path.isEmpty { return path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `body` with a chromedriver and a way to open browsers on it; every browser opened is closed after.
    static func withDriver<T: Sendable>(_ body: (ChromeDriver) async throws -> T) async throws -> T {
        guard let chromium, let chromedriver else {
            Issue.record("GOLDENPATH_REQUIRE_BROWSER=1 but chromium or chromedriver is not installed")
            throw WebDriverError(error: "no browser", message: "chromium or chromedriver is missing")
        }
        let driver = try await ChromeDriver.start(executable: chromedriver, chromium: chromium)
        do {
            let result = try await body(driver)
            await driver.stop()
            return result
        } catch {
            await driver.stop()
            throw error
        }
    }
}

/// A chromedriver child process on a free loopback port, and the browser sessions opened through it.
final class ChromeDriver: Sendable {
    let child: ChildProcess
    let url: String
    let chromium: String
    private let sessions = Mutex<[WebDriverSession]>([])

    private init(child: ChildProcess, url: String, chromium: String) {
        self.child = child
        self.url = url
        self.chromium = chromium
    }

    static func start(executable: String, chromium: String) async throws -> ChromeDriver {
        let port = try FreePort.pick()
        let child = try await ChildProcess.start(
            URL(fileURLWithPath: executable), ["--port=\(port)", "--allowed-ips=127.0.0.1"])
        // chromedriver says "ChromeDriver was started successfully on port N." once it listens.
        guard await child.awaitOutput(containing: "started successfully") else {
            throw WebDriverError(error: "chromedriver", message: "exited before it listened")
        }
        return ChromeDriver(child: child, url: "http://127.0.0.1:\(port)", chromium: chromium)
    }

    /// Opens a new headless browser (its own profile: storage is not shared between sessions).
    func open() async throws -> WebDriverSession {
        let session = try await WebDriverSession.open(driverURL: url, chromium: chromium)
        sessions.withLock { $0.append(session) }
        return session
    }

    /// Closes every browser, then ends chromedriver (`/shutdown`; SIGKILL if it is still there: the test process
    /// may ignore SIGTERM — the server's signal handling — and children inherit that).
    func stop() async {
        for session in sessions.withLock({ $0 }) { await session.close() }
        _ = try? await WebDriverSession.send("GET", url + "/shutdown", nil)
        _ = try? await child.awaitExit(killingAfter: .seconds(5))
    }
}

/// A free TCP port on 127.0.0.1: bound to port 0, read back, released.
enum FreePort {
    static func pick() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw WebDriverError(error: "socket", message: "errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else { throw WebDriverError(error: "bind", message: "errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
