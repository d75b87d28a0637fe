import AgentRuntime
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Journal
import Logging
import NIOWebSocket

/// One authenticated WebSocket connection: its inbound loop, and one outbound loop fed by the user's journal
/// subscription (filtered at the source) and by this connection's replies, in one ordered command stream.
struct WebSocketSession: Sendable {
    let services: GatewayServices
    let user: AuthenticatedUser
    let connectionID: String
    let logger: Logger
    let lag = LagCounter()

    /// Authenticates the upgrade request and runs the session until the connection closes.
    static func handle(
        services: GatewayServices, headers: HTTPFields, inbound: WebSocketInboundStream,
        outbound: WebSocketOutboundWriter, logger: Logger
    ) async throws {
        let token =
            BearerToken.fromAuthorization(headers) ?? BearerToken.fromSubprotocol(headers)?.token
        let user: AuthenticatedUser
        do {
            // A missing token goes through the same check as a bad one: one answer, one code path.
            user = try await services.tokens.verify(token ?? "")
        } catch {
            let failure = GatewayError.from(error)
            try await Task.sleep(for: services.configuration.limits.refusalDelay)
            try await outbound.write(.text(FrameEncoder.errorFrame(failure, timestamp: services.timestamp)))
            services.metrics.frameSent(type: "error")
            services.metrics.inputRejected(code: failure.code.rawValue)
            try await outbound.close(.policyViolation, reason: "authentication failed")
            return
        }
        let connectionID = services.configuration.makeID()
        var sessionLogger = logger
        sessionLogger[metadataKey: "connection.id"] = "\(connectionID)"
        sessionLogger[metadataKey: "user.id"] = "\(user.userID)"
        let session = WebSocketSession(
            services: services, user: user, connectionID: connectionID, logger: sessionLogger)
        try await session.run(inbound: inbound, outbound: outbound)
    }

    private func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        guard services.connections.open(connectionID: connectionID, userID: user.userID) else {
            let error = GatewayError(
                code: .tooManyConnections,
                message: "at most \(services.configuration.limits.connectionsPerUser) connections per user")
            try await Task.sleep(for: services.configuration.limits.refusalDelay)
            try await outbound.write(.text(FrameEncoder.errorFrame(error, timestamp: services.timestamp)))
            services.metrics.frameSent(type: "error")
            try await outbound.close(.unknown(1013), reason: "too many connections")
            return
        }
        services.metrics.connectionOpened()
        // The slot is given back before connection_closed is journaled, so that a client that sees the
        // connection_closed event (or reconnects after it) finds the slot free.
        let release = {
            services.connections.close(connectionID: connectionID, userID: user.userID)
            services.metrics.connectionClosed()
        }
        let opened: RecordedEvent
        do {
            opened = try await services.events.connectionOpened(connectionID: connectionID, userID: user.userID)
        } catch {
            release()
            // Without its connection_opened the connection could not be accounted for: refuse it with "try again
            // later" (1013); the client reconnects once the journal is writable.
            logger.warning("cannot journal connection_opened; refusing the connection", metadata: ["error": "\(error)"])
            let failure = GatewayError.from(error)
            try await Task.sleep(for: services.configuration.limits.refusalDelay)
            try await outbound.write(.text(FrameEncoder.errorFrame(failure, timestamp: services.timestamp)))
            services.metrics.frameSent(type: "error")
            try await outbound.close(.unknown(1013), reason: "journal unavailable")
            return
        }
        let established = FrameEncoder.replyFrame(
            type: "connection_established", timestamp: services.timestamp,
            fields: [
                "connection_id": .string(connectionID), "user_id": .string(user.userID),
                "head_seq": .number(Double(opened.seq)),
            ])
        do {
            try await outbound.write(.text(established))
            services.metrics.frameSent(type: "connection_established")
        } catch {
            release()
            await journalClosed(reason: "client_closed")
            throw error
        }

        let (commands, continuation) = AsyncStream<SessionCommand>.makeStream()
        var inboundError: (any Error)?
        let closeReason = await withTaskGroup(of: String?.self) { group in
            group.addTask {
                await outboundLoop(
                    commands: commands, retries: continuation, outbound: outbound, startSeq: opened.seq)
            }
            group.addTask {
                await pump(after: opened.seq, into: continuation)
                return nil
            }
            group.addTask {
                await expiryTimer(into: continuation)
                return nil
            }
            do {
                try await inboundLoop(inbound: inbound, commands: continuation)
            } catch {
                inboundError = error
            }
            continuation.finish()
            var reason: String?
            while let result = await group.next() {
                if let result, reason == nil { reason = result }
                group.cancelAll()
            }
            return reason ?? (inboundError == nil ? "client_closed" : "protocol_error")
        }
        release()
        await journalClosed(reason: closeReason)
        if let inboundError { throw inboundError }
    }

    private func journalClosed(reason: String) async {
        do {
            try await services.events.connectionClosed(connectionID: connectionID, userID: user.userID, reason: reason)
        } catch {
            logger.warning("cannot journal connection_closed", metadata: ["error": "\(error)"])
        }
    }

    /// Feeds the user's journal events that become frames into the command stream. Lag beyond the limit
    /// (or the subscription failing) closes the connection with 1013.
    private func pump(after seq: Int64, into commands: AsyncStream<SessionCommand>.Continuation) async {
        let limit = services.configuration.limits.subscriptionBufferLimit
        let subscription = services.journal.subscribe(
            after: seq, filter: services.configuration.connectionEventFilter(user.userID),
            options: SubscriptionOptions(bufferLimit: limit, overflow: .fail))
        do {
            for try await event in subscription where AgentEvent.frameTypes.contains(event.type) {
                if lag.increment() > limit { throw JournalError(code: .subscriberLagged, message: "too slow") }
                commands.yield(.event(event))
            }
        } catch is CancellationError {
            return
        } catch {
            if Task.isCancelled { return }
            logger.info("closing a connection that fell behind", metadata: ["error": "\(error)"])
            commands.yield(.close(error: nil, code: .unknown(1013), reason: "too_slow"))
        }
    }

    /// Closes the connection with `AUTH_EXPIRED` when its token expires.
    private func expiryTimer(into commands: AsyncStream<SessionCommand>.Continuation) async {
        let remaining = user.expiresAt.timeIntervalSince(services.configuration.clock())
        if remaining > 0, await !sleepUnlessCancelled(for: .milliseconds(Int64(remaining * 1000))) { return }
        commands.yield(
            .close(
                error: GatewayError(code: .authExpired, message: "the token has expired"), code: .policyViolation,
                reason: "auth_expired"))
    }
}
