import AgentRuntime
import Foundation
import Hummingbird
import Journal

/// The request context of the gateway's HTTP routes — and of the routes a team adds (``GatewayRoutes``): JSON
/// answers with sorted keys, so that equal answers are equal bytes (a foreign id's 404 is byte-for-byte an
/// unknown id's 404), and the caller once ``AuthenticationMiddleware`` has checked the token.
public struct GatewayRequestContext: RequestContext {
    /// Hummingbird's storage.
    public var coreContext: CoreRequestContextStorage
    /// The caller, on a route behind ``AuthenticationMiddleware`` (``GatewayRoutes/protected``).
    public var user: AuthenticatedUser?
    /// The TCP peer's IP address (before any `X-Forwarded-For` is considered).
    public let peerAddress: String?

    /// Creates a context for a request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Encodes answers with sorted keys.
    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The caller.
    /// - Throws: `AUTH_FAILED` (401) on a route that is not behind ``AuthenticationMiddleware``.
    public func requireUser() throws -> AuthenticatedUser {
        guard let user else {
            throw GatewayError(code: .authFailed, message: "Authorization: Bearer <token> is required")
        }
        return user
    }
}

/// Checks `Authorization: Bearer <token>` and puts the caller in ``GatewayRequestContext/user``; answers 401
/// (`AUTH_FAILED`) without calling the route when the token is missing, invalid or expired.
public struct AuthenticationMiddleware: RouterMiddleware {
    /// The gateway's request context.
    public typealias Context = GatewayRequestContext
    let tokens: TokenService

    /// Authenticates the request, then calls the route.
    /// - Throws: `AUTH_FAILED` (401).
    public func handle(
        _ request: Request, context: GatewayRequestContext,
        next: (Request, GatewayRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let token = BearerToken.fromAuthorization(request.headers) else {
            throw GatewayError(code: .authFailed, message: "Authorization: Bearer <token> is required")
        }
        var context = context
        context.user = try await tokens.verify(token)
        return try await next(request, context)
    }
}

/// Where a team adds its own routes to the gateway (``GoldenPathServer/init(pipeline:configuration:journalPath:llm:agents:routes:onServerRunning:)``):
/// the whole router, and the `/api` group behind ``AuthenticationMiddleware`` — a route added there cannot
/// forget authentication.
///
/// ```swift
/// routes: { routes in
///     routes.protected.get("me") { _, context in try context.requireUser().userID }
///     routes.router.get("version") { _, _ in "1.0" }
/// }
/// ```
public struct GatewayRoutes {
    /// The gateway's router (unauthenticated routes; add middleware here for every route).
    public let router: Router<GatewayRequestContext>
    /// `/api`, behind ``AuthenticationMiddleware``.
    public let protected: RouterGroup<GatewayRequestContext>
    /// The server's journal, for routes that read it.
    public let journal: EventJournal
    /// Owner-scoped reads of runs, threads and messages (another user's run is not found).
    public let queries: RunQueries
}
