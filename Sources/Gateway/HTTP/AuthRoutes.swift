import HTTPTypes
import Hummingbird

/// `POST /auth/signup` (201) and `POST /auth/login` (200), both answering `{"token", "user_id", "expires_at"}`.
/// Both are throttled per client address (and login per user name): 429 `RATE_LIMITED` with `Retry-After`.
struct AuthRoutes: Sendable {
    let auth: AuthService
    let trustedProxies: [IPAddressRange]

    func register(on router: Router<GatewayRequestContext>) {
        router.post("auth/signup") { request, context -> EditedResponse<IssuedToken> in
            let credentials = try await Self.credentials(request, context: context)
            return EditedResponse(
                status: .created, response: try await auth.signUp(credentials, from: address(request, context)))
        }
        router.post("auth/login") { request, context -> IssuedToken in
            let credentials = try await Self.credentials(request, context: context)
            return try await auth.logIn(credentials, from: address(request, context))
        }
    }

    private func address(_ request: Request, _ context: GatewayRequestContext) -> String {
        ClientAddress.resolve(
            peer: context.peerAddress,
            forwardedFor: request.headers.filter { $0.name.canonicalName == "x-forwarded-for" }.map(\.value),
            trusted: trustedProxies)
    }

    private static func credentials(_ request: Request, context: some RequestContext) async throws -> Credentials {
        do {
            return try await request.decode(as: Credentials.self, context: context)
        } catch {
            throw GatewayError(
                code: .invalidRequest, message: "the body must be {\"username\": string, \"password\": string}")
        }
    }
}

extension IssuedToken: ResponseEncodable {}
