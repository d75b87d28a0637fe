import Foundation

/// Who a valid token speaks for, and until when.
public struct AuthenticatedUser: Sendable, Hashable {
    /// The user id (the token's `sub`).
    public var userID: String
    /// When the token expires.
    public var expiresAt: Date

    /// Creates an authenticated identity.
    public init(userID: String, expiresAt: Date) {
        self.userID = userID
        self.expiresAt = expiresAt
    }
}
