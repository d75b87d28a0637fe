import Foundation

/// The PostgreSQL server the tests may use: `GOLDENPATH_POSTGRES_URL` names it (`tools/postgres/start-test-server`
/// starts one; `.ci/run` does), and `GOLDENPATH_REQUIRE_POSTGRES=1` makes its absence a failure instead of a skip.
package enum TestPostgres {
    /// The server's URL, when one is named.
    package static let url = ProcessInfo.processInfo.environment["GOLDENPATH_POSTGRES_URL"].flatMap {
        $0.isEmpty ? nil : $0
    }
    /// Whether a missing server fails the PostgreSQL tests.
    package static let isRequired = ProcessInfo.processInfo.environment["GOLDENPATH_REQUIRE_POSTGRES"] == "1"
    /// Whether the PostgreSQL tests run (there is a server, or one is required).
    package static var runsTests: Bool { url != nil || isRequired }
}
