import Foundation
import JWTKit
import Journal

/// Issues and checks HS256 access tokens (jwt-kit). Tokens signed with another key or algorithm — `alg: none`
/// included — and expired tokens are refused.
public struct TokenService: Sendable {
    private let keys: JWTKeyCollection
    private let lifetime: Duration
    private let clock: @Sendable () -> Date

    /// The fewest bytes a signing secret may have (the size of an HS256 digest).
    public static let minimumSecretBytes = 32

    /// Creates a service that signs with `secret`.
    /// - Parameters:
    ///   - secret: The HMAC key, at least ``minimumSecretBytes`` bytes. Never stored in the journal.
    ///   - lifetime: How long a token is valid. Default 24 hours.
    ///   - clock: The clock that stamps and checks expiry.
    /// - Throws: `GatewayError` (`INVALID_REQUEST`) when the secret is too short.
    public init(
        secret: String, lifetime: Duration = .seconds(86_400), clock: @escaping @Sendable () -> Date = { Date() }
    )
        async throws
    {
        guard secret.utf8.count >= Self.minimumSecretBytes else {
            throw GatewayError(
                code: .invalidRequest,
                message: "the token signing secret must be at least \(Self.minimumSecretBytes) bytes")
        }
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.keys = keys
        self.lifetime = lifetime
        self.clock = clock
    }

    /// Signs a token for `userID`.
    /// - Throws: `GatewayError` (`INTERNAL`) when signing fails.
    public func issue(userID: String) async throws -> IssuedToken {
        let now = clock()
        let expiry = now.addingTimeInterval(TimeInterval(lifetime.components.seconds))
        let claims = AccessClaims(
            sub: SubjectClaim(value: userID), exp: ExpirationClaim(value: expiry), iat: IssuedAtClaim(value: now))
        do {
            let token = try await keys.sign(claims)
            return IssuedToken(token: token, userID: userID, expiresAt: Timestamp.string(from: expiry))
        } catch {
            throw GatewayError(code: .internal, message: "cannot sign a token")
        }
    }

    /// Checks a token's algorithm, signature and expiry.
    /// - Throws: `GatewayError` with `AUTH_FAILED` for a missing, malformed, forged or expired token.
    public func verify(_ token: String) async throws -> AuthenticatedUser {
        let claims: AccessClaims
        do {
            claims = try await keys.verify(token, as: AccessClaims.self)
        } catch {
            throw GatewayError(code: .authFailed, message: "the token is not valid")
        }
        guard claims.exp.value > clock() else {
            throw GatewayError(code: .authFailed, message: "the token has expired")
        }
        guard !claims.sub.value.isEmpty else {
            throw GatewayError(code: .authFailed, message: "the token names no user")
        }
        return AuthenticatedUser(userID: claims.sub.value, expiresAt: claims.exp.value)
    }

    /// The current time on the service's clock.
    var now: Date { clock() }
}
