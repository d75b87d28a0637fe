import Foundation
import JWTKit

/// The claims of a GoldenPath access token: the user (`sub`) and the expiry (`exp`).
struct AccessClaims: JWTPayload {
    /// The user id.
    var sub: SubjectClaim
    /// When the token stops being valid.
    var exp: ExpirationClaim
    /// When the token was issued.
    var iat: IssuedAtClaim

    /// Expiry is checked by ``TokenService`` against its injected clock; the signature and algorithm by jwt-kit.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
