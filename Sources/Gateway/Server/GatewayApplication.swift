import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// Builds the Hummingbird application: the HTTP routes, `/ws`, and the WebSocket server settings.
///
/// - Parameters:
///   - services: What the routes and sessions share.
///   - onServerRunning: Called with the bound port once the server listens.
func buildGatewayApplication(
    services: GatewayServices, onServerRunning: @escaping @Sendable (Int) async -> Void
) -> some ApplicationProtocol {
    let configuration = services.configuration
    let router = Router(context: GatewayRequestContext.self)
    router.middlewares.add(ErrorMappingMiddleware())
    AuthRoutes(auth: services.auth).register(on: router)
    APIRoutes(queries: services.queries, tokens: services.tokens).register(on: router)
    HealthRoutes(
        journal: services.journal, metrics: services.metrics,
        faultInjector: services.configuration.journalFaultInjector
    ).register(on: router)

    let webSocketRouter = Router(context: BasicWebSocketRequestContext.self)
    webSocketRouter.ws(
        "ws",
        shouldUpgrade: { request, _ in
            // Browsers send the token as the `jwt.<token>` subprotocol and need it echoed to open the socket.
            if let (subprotocol, _) = BearerToken.fromSubprotocol(request.headers) {
                return .upgrade([.secWebSocketProtocol: subprotocol])
            }
            return .upgrade([:])
        },
        onUpgrade: { inbound, outbound, context in
            try await WebSocketSession.handle(
                services: services, request: context.request, inbound: inbound, outbound: outbound,
                logger: context.logger)
        })

    return Application(
        router: router,
        server: .http1WebSocketUpgrade(
            webSocketRouter: webSocketRouter,
            configuration: .init(
                ws: WebSocketServerConfiguration(
                    maxFrameSize: configuration.limits.maxFrameBytes,
                    autoPing: .enabled(timePeriod: configuration.limits.pingInterval),
                    validateUTF8: true))),
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port), serverName: "goldenpath"),
        onServerRunning: { channel in
            await onServerRunning(channel.localAddress?.port ?? configuration.port)
        },
        logger: configuration.logger)
}
