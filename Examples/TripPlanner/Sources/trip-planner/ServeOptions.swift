import Foundation

/// The command line of `trip-planner`, parsed by hand: `--port N`, `--host H`, `--db PATH`, `--help`.
struct ServeOptions: Sendable {
    /// A bad command line.
    struct UsageError: Error, CustomStringConvertible {
        let description: String
    }

    static let usage = """
        usage: trip-planner [--port 8080] [--host 127.0.0.1] [--db trip-planner.sqlite]
          --port N     the port to listen on (0: any free port)
          --host H     the address to bind
          --db PATH    the journal's SQLite file (created if missing)
        environment: TRIP_PLANNER_JWT_SECRET  the token signing secret (at least 32 bytes)
        """

    var port = 8080
    var host = "127.0.0.1"
    var journalPath = "trip-planner.sqlite"
    var help = false
    var jwtSecret = ProcessInfo.processInfo.environment["TRIP_PLANNER_JWT_SECRET"]

    /// Parses the arguments (without the program name).
    /// - Throws: ``UsageError`` for an unknown option, a missing value or a bad port.
    init(arguments: [String]) throws {
        var rest = arguments[...]
        while let option = rest.popFirst() {
            switch option {
            case "--help", "-h":
                help = true
            case "--port", "--host", "--db":
                guard let value = rest.popFirst() else { throw UsageError(description: "\(option) needs a value") }
                if option == "--port" {
                    guard let port = Int(value), (0...65_535).contains(port) else {
                        throw UsageError(description: "--port needs a number from 0 to 65535, not \(value)")
                    }
                    self.port = port
                } else if option == "--host" {
                    host = value
                } else {
                    journalPath = value
                }
            default:
                throw UsageError(description: "unknown argument \(option)")
            }
        }
    }

    /// A signing secret for this process only (64 hex digits).
    static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(generator.next() as UInt64, radix: 16) }.joined()
            .padding(toLength: 64, withPad: "0", startingAt: 0)
    }
}
