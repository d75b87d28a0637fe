import Foundation
import HTTPTypes

/// Reads a token from `Authorization: Bearer <token>` or from a `jwt.<token>` WebSocket subprotocol.
enum BearerToken {
    /// The token in the `Authorization` header, if it is a bearer token.
    static func fromAuthorization(_ headers: HTTPFields) -> String? {
        guard let value = headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// The `jwt.<token>` entry of `Sec-WebSocket-Protocol`, whole (to echo) and the token.
    static func fromSubprotocol(_ headers: HTTPFields) -> (subprotocol: String, token: String)? {
        for value in headers[values: .secWebSocketProtocol] {
            for entry in value.split(separator: ",") {
                let item = entry.trimmingCharacters(in: .whitespaces)
                if item.hasPrefix("jwt."), item.count > 4 {
                    return (item, String(item.dropFirst(4)))
                }
            }
        }
        return nil
    }
}
