/// A sign-up or login body: `{"username", "password"}`, checked for form.
public struct Credentials: Sendable, Hashable, Decodable {
    /// The user name: 1–64 characters of letters, digits, `_`, `-` and `.`.
    public var username: String
    /// The password: 8–72 bytes (bcrypt reads at most 72).
    public var password: String

    /// Creates credentials.
    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// Checks the form of both fields.
    /// - Throws: `GatewayError` `INVALID_REQUEST` naming the field at fault.
    public func validate() throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
        guard (1...64).contains(username.count), username.allSatisfy({ allowed.contains($0) }) else {
            throw GatewayError(
                code: .invalidRequest,
                message: "username must be 1 to 64 letters, digits, '_', '-' or '.'")
        }
        guard (8...72).contains(password.utf8.count) else {
            throw GatewayError(code: .invalidRequest, message: "password must be 8 to 72 bytes long")
        }
    }
}
