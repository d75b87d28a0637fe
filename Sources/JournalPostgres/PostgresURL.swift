import Foundation
import Journal
import PostgresNIO

/// A `postgres://USER[:PASSWORD]@HOST[:PORT]/DB` URL, as the CLI and `GOLDENPATH_DATABASE_URL` give it.
struct PostgresURL: Sendable, CustomStringConvertible {
    var host: String
    var port: Int
    var username: String
    var password: String?
    var database: String
    /// `search_path`, from the URL's `?search_path=` (tests give each journal a schema of its own).
    var searchPath: String?
    /// The most connections the journal's pool opens, from `?connections=` (default 8; the LISTEN connection is
    /// one more).
    var maximumConnections = 8

    /// Parses the URL.
    /// - Throws: `JournalError` (`cannotOpen`) naming what is wrong with it.
    init(_ text: String) throws {
        guard let components = URLComponents(string: text),
            components.scheme == "postgres" || components.scheme == "postgresql"
        else {
            throw JournalError(code: .cannotOpen, message: "not a postgres:// URL: \(Self.redacted(text))")
        }
        guard let host = components.host, !host.isEmpty else {
            throw JournalError(code: .cannotOpen, message: "the database URL names no host: \(Self.redacted(text))")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty else {
            throw JournalError(code: .cannotOpen, message: "the database URL names no database: \(Self.redacted(text))")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = components.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        self.password = components.password.flatMap { $0.removingPercentEncoding }
        self.database = database
        self.searchPath = components.queryItems?.first { $0.name == "search_path" }?.value
        if let connections = components.queryItems?.first(where: { $0.name == "connections" })?.value {
            guard let count = Int(connections), (1...1_000).contains(count) else {
                throw JournalError(
                    code: .cannotOpen, message: "connections=\(connections) in the database URL is not 1…1000")
            }
            maximumConnections = count
        }
    }

    /// The URL without its password, for messages.
    var description: String {
        let path = searchPath.map { "?search_path=\($0)" } ?? ""
        return "postgres://\(username)@\(host):\(port)/\(database)\(path)"
    }

    /// The pool's configuration: no TLS (loopback and private networks; put TLS in front for anything else).
    func clientConfiguration(durability: JournalConfiguration.Durability) -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: .disable)
        configuration.options.additionalStartupParameters = startupParameters(durability: durability)
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    /// A dedicated connection's configuration (the LISTEN connection).
    func connectionConfiguration(durability: JournalConfiguration.Durability) -> PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: .disable)
        configuration.options.additionalStartupParameters = startupParameters(durability: durability)
        return configuration
    }

    private func startupParameters(durability: JournalConfiguration.Durability) -> [(String, String)] {
        var parameters = [("application_name", "goldenpath")]
        if let searchPath { parameters.append(("search_path", searchPath)) }
        // SPEC section 7: `--durability normal` is `synchronous_commit = off`; FULL says `on` whatever the server's
        // default is.
        parameters.append(("synchronous_commit", durability == .normal ? "off" : "on"))
        return parameters
    }

    private static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? "(unreadable)"
    }
}
