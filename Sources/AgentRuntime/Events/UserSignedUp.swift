/// `user_signed_up`: a user account was created (stream `user:<id>`).
public struct UserSignedUp: Codable, Sendable, Hashable {
    /// The chosen name.
    public var username: String

    /// Creates the payload.
    public init(username: String) {
        self.username = username
    }
}
