import Hummingbird

/// `POST /auth/signup` (201) and `POST /auth/login` (200), both answering `{"token", "user_id", "expires_at"}`.
struct AuthRoutes: Sendable {
    let auth: AuthService

    func register<Context: RequestContext>(on router: Router<Context>) {
        router.post("auth/signup") { request, context -> EditedResponse<IssuedToken> in
            let credentials = try await Self.credentials(request, context: context)
            return EditedResponse(status: .created, response: try await auth.signUp(credentials))
        }
        router.post("auth/login") { request, context -> IssuedToken in
            let credentials = try await Self.credentials(request, context: context)
            return try await auth.logIn(credentials)
        }
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
