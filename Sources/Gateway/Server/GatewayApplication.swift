import Foundation
import HTTPTypes
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
    services: GatewayServices, routes: @Sendable (GatewayRoutes) -> Void,
    onServerRunning: @escaping @Sendable (Int) async -> Void
) -> some ApplicationProtocol {
    let configuration = services.configuration
    let router = Router(context: GatewayRequestContext.self)
    router.middlewares.add(ErrorMappingMiddleware())
    AuthRoutes(auth: services.auth, trustedProxies: configuration.trustedProxies).register(on: router)
    let protected = router.group("api").add(middleware: AuthenticationMiddleware(tokens: services.tokens))
    APIRoutes(queries: services.queries).register(on: protected)
    HealthRoutes(journal: services.journal, metrics: services.metrics).register(on: router)
    ConsoleRoutes(assets: ConsoleAssets(logger: configuration.logger)).register(on: router)
    routes(
        GatewayRoutes(
            router: router, protected: protected, journal: services.journal, queries: services.queries))

    // `/ws` is upgraded by a closure, not a WebSocket router: hummingbird-websocket 2.8.1's router keeps each
    // connection's request context in a box that the context itself holds (WebSocketHandlerReference), a cycle
    // that leaked ~430 bytes per connection (found by the soak test with heaptrack).
    let webSocketConfiguration = WebSocketServerConfiguration(
        maxFrameSize: configuration.limits.maxFrameBytes,
        autoPing: .enabled(timePeriod: configuration.limits.pingInterval),
        validateUTF8: true)
    return Application(
        router: router,
        server: .http1WebSocketUpgrade(configuration: .init(ws: webSocketConfiguration)) { head, _, _ in
            guard head.method == .get, head.path?.split(separator: "?", maxSplits: 1).first == "/ws" else {
                return .dontUpgrade
            }
            // Browsers send the token as the `jwt.<token>` subprotocol and need it echoed to open the socket.
            var headers = HTTPFields()
            if let (subprotocol, _) = BearerToken.fromSubprotocol(head.headerFields) {
                headers[.secWebSocketProtocol] = subprotocol
            }
            return .upgrade(headers) { inbound, outbound, context in
                try await WebSocketSession.handle(
                    services: services, headers: head.headerFields, inbound: inbound, outbound: outbound,
                    logger: context.logger)
            }
        },
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port), serverName: "goldenpath"),
        onServerRunning: { channel in
            await onServerRunning(channel.localAddress?.port ?? configuration.port)
        },
        logger: configuration.logger)
}
