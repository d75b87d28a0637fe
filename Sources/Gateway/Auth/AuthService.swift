import Foundation
import HummingbirdBcrypt
import Journal
import NIOPosix

/// Sign-up and login: bcrypt password hashes in the `users` table, JWTs for the answers, both throttled.
///
/// Hashes are computed on ``GatewayConfiguration/passwordHashingPool``, never on the threads that serve
/// sockets: bcrypt at cost 12 takes ~250 ms of CPU, and a login flood on the serving threads stalled every
/// socket's frames.
public struct AuthService: Sendable {
    private let users: UserStore
    private let events: GatewayEvents
    private let tokens: TokenService
    private let bcryptCost: UInt8
    private let newUserID: @Sendable () -> String
    private let pool: NIOThreadPool
    private let throttle: LoginThrottle
    private let clock: @Sendable () -> Date
    /// A hash to check wrong logins of unknown users against, so that they take as long as known ones.
    private let decoyHash: String

    init(journal: EventJournal, events: GatewayEvents, tokens: TokenService, configuration: GatewayConfiguration)
        async throws
    {
        self.users = UserStore(journal: journal)
        self.events = events
        self.tokens = tokens
        self.bcryptCost = configuration.bcryptCost
        self.newUserID = configuration.makeID
        self.pool = configuration.passwordHashingPool
        self.throttle = LoginThrottle(limits: configuration.limits)
        self.clock = configuration.clock
        let cost = configuration.bcryptCost
        self.decoyHash = try await pool.runIfActive { Bcrypt.hash("goldenpath-decoy-password", cost: cost) }
    }

    /// Creates an account — its row and its `user_signed_up` in one transaction — and returns a token.
    /// - Throws: `GatewayError` `RATE_LIMITED` (with `retryAfter`) when `address` signed up too often,
    ///   `INVALID_REQUEST` or `USERNAME_TAKEN`; `JournalError` when the journal fails.
    public func signUp(_ credentials: Credentials, from address: String) async throws -> IssuedToken {
        if let wait = throttle.admitSignup(address: address, now: clock()) {
            throw GatewayError(code: .rateLimited, message: "too many sign-ups; try again later", retryAfter: wait)
        }
        try credentials.validate()
        if try await users.find(username: credentials.username) != nil {
            throw GatewayError(code: .usernameTaken, message: "the user name \(credentials.username) is taken")
        }
        let password = credentials.password
        let cost = bcryptCost
        let hash = try await pool.runIfActive { Bcrypt.hash(password, cost: cost) }
        let userID = newUserID()
        let createdAt = Timestamp.string(from: tokens.now)
        try await users.create(
            userID: userID, username: credentials.username, passwordHash: hash, createdAt: createdAt, events: events)
        return try await tokens.issue(userID: userID)
    }

    /// Checks a name and password and returns a token.
    /// - Throws: `GatewayError` `RATE_LIMITED` (with `retryAfter`, without checking the password) when the
    ///   name or `address` failed too often, or `INVALID_CREDENTIALS` — each the same whether or not the user
    ///   exists.
    public func logIn(_ credentials: Credentials, from address: String) async throws -> IssuedToken {
        let name = credentials.username
        if let wait = throttle.loginRefusal(name: name, address: address, now: clock()) {
            throw GatewayError(
                code: .rateLimited, message: "too many failed logins; try again later", retryAfter: wait)
        }
        let user = try await users.find(username: name)
        let password = credentials.password
        let hash = user?.passwordHash ?? decoyHash
        let matches = try await pool.runIfActive { Bcrypt.verify(password, hash: hash) }
        guard let user, matches else {
            throttle.recordFailure(name: name, address: address, now: clock())
            throw GatewayError(code: .invalidCredentials, message: "wrong user name or password")
        }
        return try await tokens.issue(userID: user.userID)
    }
}
