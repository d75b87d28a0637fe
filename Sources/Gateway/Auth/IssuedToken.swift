import Foundation

/// The answer to a successful sign-up or login: `{"token", "user_id", "expires_at"}`.
public struct IssuedToken: Sendable, Hashable, Codable {
    /// The signed JWT.
    public var token: String
    /// The user the token speaks for.
    public var userID: String
    /// When the token expires, as ISO 8601 UTC text with milliseconds.
    public var expiresAt: String

    /// Creates a token answer.
    public init(token: String, userID: String, expiresAt: String) {
        self.token = token
        self.userID = userID
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case token
        case userID = "user_id"
        case expiresAt = "expires_at"
    }
}
