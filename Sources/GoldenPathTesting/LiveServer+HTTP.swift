import AgentRuntime
import AsyncHTTPClient
import Foundation
import Gateway
import NIOCore
import NIOHTTP1

extension LiveServer {
    /// An HTTP answer: the status code and the body text.
    public struct HTTPAnswer: Sendable {
        /// The status code.
        public let status: Int
        /// The body.
        public let body: String
        /// The response headers, in order.
        public let headers: [(name: String, value: String)]

        /// The first value of the header `name` (case-insensitive).
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        /// The body parsed as JSON (`.null` when it is not JSON).
        public var json: JSONValue {
            (try? JSONValue(parsing: body)) ?? .null
        }
    }

    /// Signs a user up over HTTP and returns the token answer.
    /// - Throws: ``LiveServerError`` when the server does not answer 201/200 with a token.
    public func signUp(username: String, password: String = "password-123456") async throws -> IssuedToken {
        try await tokenRequest("/auth/signup", username: username, password: password)
    }

    /// Logs a user in over HTTP and returns the token answer.
    /// - Throws: ``LiveServerError`` when the server does not answer 200 with a token.
    public func logIn(username: String, password: String = "password-123456") async throws -> IssuedToken {
        try await tokenRequest("/auth/login", username: username, password: password)
    }

    /// Sends one HTTP request to the server.
    /// - Throws: When the request cannot be sent.
    public func http(
        _ method: String, _ path: String, body: String? = nil, token: String? = nil, headers: [String: String] = [:]
    ) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .RAW(value: method)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))  // a deadline for a failing test
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return HTTPAnswer(
            status: Int(response.status.code), body: String(buffer: bytes),
            headers: response.headers.map { (name: $0.name, value: $0.value) })
    }

    private func tokenRequest(_ path: String, username: String, password: String) async throws -> IssuedToken {
        let body = try JSONSerialization.data(withJSONObject: ["username": username, "password": password])
        let answer = try await http("POST", path, body: String(decoding: body, as: UTF8.self))
        guard answer.status == 200 || answer.status == 201,
            let token = try? JSONDecoder().decode(IssuedToken.self, from: Data(answer.body.utf8))
        else {
            throw LiveServerError(description: "\(path) answered \(answer.status): \(answer.body)")
        }
        return token
    }
}
