import AgentRuntime
import Foundation
import GRDB
@testable import Gateway
import GoldenPathTesting
import Journal
import Testing

/// The console's HTTP side without a browser: the pages and files with their types, tags and security headers,
/// and the API routes the console reads (`GET /api/runs`, the deliveries of `/api/runs/{id}/events`).
@Suite("Console routes")
struct ConsoleRoutesTests {
    @Test("/, /runs/{id} and every file answer 200 with their content type, an ETag, no-cache and the CSP; a matching If-None-Match is 304; HEAD has no body")
    func pagesAndFiles() async throws {
        try await withLiveServer { server in
            let files = [
                ("/", "text/html"), ("/runs/anything", "text/html"), ("/runs/", "text/html"),
                ("/console/chat.js", "text/javascript"), ("/console/run-page.js", "text/javascript"),
                ("/console/style.css", "text/css"), ("/console/favicon.svg", "image/svg+xml"),
            ]
            for (path, type) in files {
                let answer = try await server.http("GET", path)
                #expect(answer.status == 200, "\(path)")
                #expect(answer.header("Content-Type")?.hasPrefix(type) == true, "\(path)")
                #expect(answer.header("Cache-Control") == "no-cache", "\(path)")
                #expect(answer.header("X-Content-Type-Options") == "nosniff", "\(path)")
                let policy = answer.header("Content-Security-Policy") ?? ""
                #expect(policy.contains("script-src 'self'") && policy.contains("default-src 'none'"), "\(path)")
                #expect(policy.contains("connect-src 'self' ws://127.0.0.1:\(server.port) wss://127.0.0.1:\(server.port)"))
                #expect(policy.contains("require-trusted-types-for 'script'"))
                let tag = try #require(answer.header("ETag"))
                let again = try await server.http("GET", path, headers: ["If-None-Match": tag])
                #expect(again.status == 304 && again.body.isEmpty, "\(path)")
                let head = try await server.http("HEAD", path)
                #expect(head.status == 200 && head.body.isEmpty && head.header("ETag") == tag, "\(path)")
            }
            // The pages load only files that exist, and nothing inline.
            for page in ["/", "/runs/x"] {
                let html = try await server.http("GET", page).body
                #expect(!html.contains("<script>") && !html.contains("style="), "\(page)")
                #expect(html.range(of: #"\son[a-z]+="#, options: .regularExpression) == nil, "\(page)")
            }
            #expect(try await server.http("GET", "/console/missing.js").status == 404)
            #expect(try await server.http("GET", "/console/..%2FPackage.swift").status == 404)
        }
    }

    @Test("a Host header that is not a plain host[:port] does not reach the policy")
    func hostCannotWriteThePolicy() {
        #expect(ConsoleHeaders.contentSecurityPolicy(host: "evil.example; script-src *").contains("connect-src 'self';"))
        #expect(ConsoleHeaders.contentSecurityPolicy(host: "[::1]:8080").contains("ws://[::1]:8080"))
        #expect(ConsoleHeaders.contentSecurityPolicy(host: "a b").contains("connect-src 'self';"))
        #expect(ConsoleHeaders.contentSecurityPolicy(host: nil).contains("connect-src 'self';"))
    }

    @Test("GET /api/runs lists the caller's runs newest first (limit 1…200, else 400); events carry their deliveries, the caller's connection only")
    func runListAndDeliveries() async throws {
        try await withLiveServer { server in
            let ann = try await server.signUp(username: "routes-ann")
            let bob = try await server.signUp(username: "routes-bob")
            let client = try await server.connect(token: ann.token)
            let established = try await client.awaitFrame { $0.type == "connection_established" }
            var runs: [String] = []
            for index in 0..<3 {
                try await client.send(["type": "user_message", "client_message_id": "m\(index)",
                    "content": "Our cloud bill is $12,000 a month for 40 servers. Cut it."])
                let received = try await client.awaitFrame { $0.type == "message_received" && $0["client_message_id"]?.stringValue == "m\(index)" }
                let runID = try #require(received.runID)
                _ = try await client.awaitRunEnd(runID: runID)
                runs.append(runID)
            }
            let list = try await server.http("GET", "/api/runs?limit=2", token: ann.token).json
            #expect(list["runs"]?.arrayValue?.compactMap { $0["run_id"]?.stringValue } == Array(runs.reversed().prefix(2)))
            #expect(try await server.http("GET", "/api/runs", token: bob.token).json["runs"]?.arrayValue?.isEmpty == true)
            for bad in ["0", "201", "x"] {
                #expect(try await server.http("GET", "/api/runs?limit=\(bad)", token: ann.token).status == 400)
            }
            #expect(try await server.http("GET", "/api/runs").status == 401)

            let events = try await server.http("GET", "/api/runs/\(runs[0])/events", token: ann.token).json
            let connection = try #require(established["connection_id"]?.stringValue)
            let rows = try await JournalAssertions(server.journal).lines(
                "SELECT d.seq FROM deliveries d JOIN events e ON e.seq = d.seq WHERE e.run_id = ? AND d.connection_id = ? ORDER BY d.seq",
                [runs[0], connection])
            var delivered: [String] = []
            for event in events["events"]?.arrayValue ?? [] {
                let deliveries = event["deliveries"]?.arrayValue ?? []
                #expect(deliveries.allSatisfy { $0["connection_id"]?.stringValue == connection && $0["sent_at"]?.stringValue != nil })
                if !deliveries.isEmpty, let seq = event["seq"]?.intValue { delivered.append(String(seq)) }
                if event["type"]?.stringValue == "llm_request" { #expect(deliveries.isEmpty) }
            }
            #expect(delivered == rows && !rows.isEmpty)
            let foreign = try await server.http("GET", "/api/runs/\(runs[0])/events", token: bob.token)
            let unknown = try await server.http("GET", "/api/runs/\(UUID().uuidString.lowercased())/events", token: bob.token)
            #expect(foreign.status == 404 && foreign.body == unknown.body)
            try await client.close()
        }
    }
}
