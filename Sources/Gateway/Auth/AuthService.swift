import Foundation
import HummingbirdBcrypt
import Journal

/// Sign-up and login: bcrypt password hashes in the `users` table, JWTs for the answers.
public struct AuthService: Sendable {
    private let users: UserStore
    private let events: GatewayEvents
    private let tokens: TokenService
    private let bcryptCost: UInt8
    private let newUserID: @Sendable () -> String
    /// A hash to check wrong logins of unknown users against, so that they take as long as known ones.
    private let decoyHash: String

    init(
        journal: EventJournal, events: GatewayEvents, tokens: TokenService, bcryptCost: UInt8,
        newUserID: @escaping @Sendable () -> String
    ) {
        self.users = UserStore(journal: journal)
        self.events = events
        self.tokens = tokens
        self.bcryptCost = bcryptCost
        self.newUserID = newUserID
        self.decoyHash = Bcrypt.hash("goldenpath-decoy-password", cost: bcryptCost)
    }

    /// Creates an account, journals `user_signed_up`, and returns a token.
    /// - Throws: `GatewayError` `INVALID_REQUEST` or `USERNAME_TAKEN`; `JournalError` when the journal fails.
    public func signUp(_ credentials: Credentials) async throws -> IssuedToken {
        try credentials.validate()
        if try await users.find(username: credentials.username) != nil {
            throw GatewayError(code: .usernameTaken, message: "the user name \(credentials.username) is taken")
        }
        let hash = Bcrypt.hash(credentials.password, cost: bcryptCost)
        let userID = newUserID()
        let createdAt = Timestamp.string(from: tokens.now)
        try await users.create(
            userID: userID, username: credentials.username, passwordHash: hash, createdAt: createdAt)
        try await events.userSignedUp(userID: userID, username: credentials.username)
        return try await tokens.issue(userID: userID)
    }

    /// Checks a name and password and returns a token.
    /// - Throws: `GatewayError` `INVALID_CREDENTIALS`, the same whether or not the user exists.
    public func logIn(_ credentials: Credentials) async throws -> IssuedToken {
        let failure = GatewayError(code: .invalidCredentials, message: "wrong user name or password")
        guard let user = try await users.find(username: credentials.username) else {
            _ = Bcrypt.verify(credentials.password, hash: decoyHash)
            throw failure
        }
        guard Bcrypt.verify(credentials.password, hash: user.passwordHash) else { throw failure }
        return try await tokens.issue(userID: user.userID)
    }
}
