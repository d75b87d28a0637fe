import AgentRuntime
import Foundation
import HummingbirdWebSocket
import Journal
import Logging
import NIOWebSocket

extension WebSocketSession {
    /// Reads client frames until the connection closes, answering each through the command stream.
    func inboundLoop(inbound: WebSocketInboundStream, commands: AsyncStream<SessionCommand>.Continuation)
        async throws
    {
        let limits = services.configuration.limits
        var frameGuard = FrameRateGuard(limit: limits.framesPer10Seconds)
        var rejections = RejectionTracker()
        do {
            try await readMessages(
                inbound: inbound, commands: commands, frameGuard: &frameGuard, rejections: &rejections)
        } catch {
            await journal(rejections.flush())
            throw error
        }
        await journal(rejections.flush())
    }

    private func readMessages(
        inbound: WebSocketInboundStream, commands: AsyncStream<SessionCommand>.Continuation,
        frameGuard: inout FrameRateGuard, rejections: inout RejectionTracker
    ) async throws {
        let limits = services.configuration.limits
        for try await message in inbound.messages(maxSize: limits.maxFrameBytes) {
            guard frameGuard.admit(at: services.configuration.clock()) else {
                commands.yield(
                    .close(
                        error: GatewayError(
                            code: .rateLimited, message: "more than \(limits.framesPer10Seconds) frames in 10 s"),
                        code: .policyViolation, reason: "too_many_frames"))
                break
            }
            do {
                switch message {
                case .binary:
                    throw GatewayError(code: .invalidJSON, message: "binary frames are not accepted")
                case .text(let text):
                    let parsed = try InboundMessage.parse(
                        text, limits: InboundMessage.Limits(maxContentBytes: limits.maxContentBytes))
                    try await handle(parsed, commands: commands)
                }
            } catch {
                let failure = GatewayError.from(error)
                commands.yield(
                    .reply(type: "error", text: FrameEncoder.errorFrame(failure, timestamp: services.timestamp)))
                services.metrics.inputRejected(code: failure.code.rawValue)
                await journal(
                    rejections.reject(
                        code: failure.code.rawValue, message: failure.message, at: services.configuration.clock()))
            }
        }
    }

    private func journal(_ records: [RejectionTracker.Record]) async {
        for record in records {
            do {
                try await services.events.inputRejected(
                    connectionID: connectionID, userID: user.userID, code: record.code, message: record.message,
                    repeatCount: record.repeatCount)
            } catch {
                logger.warning("cannot journal input_rejected", metadata: ["error": "\(error)"])
            }
        }
    }

    private func handle(_ message: InboundMessage, commands: AsyncStream<SessionCommand>.Continuation) async throws {
        switch message {
        case .ping:
            commands.yield(
                .reply(type: "pong", text: FrameEncoder.replyFrame(type: "pong", timestamp: services.timestamp)))
        case .resume(let afterSeq):
            commands.yield(.resume(afterSeq: afterSeq))
        case .stopAgent(let runID):
            try await services.coordinator.stop(runID: runID, userID: user.userID)
        case .getThreadHistory(let threadID):
            guard let messages = try await services.queries.messages(inThread: threadID, ofUser: user.userID) else {
                throw GatewayError(code: .threadNotFound, message: "no such thread")
            }
            let list = try JSONValue(parsing: JSONEncoder().encode(messages))
            commands.yield(
                .reply(
                    type: "thread_history",
                    text: FrameEncoder.replyFrame(
                        type: "thread_history", timestamp: services.timestamp,
                        fields: ["thread_id": .string(threadID), "messages": list])))
        case .userMessage(let content, let threadID, let clientMessageID):
            guard let reservation = services.rateLimiter.reserve(userID: user.userID) else {
                throw GatewayError(
                    code: .rateLimited,
                    message: "at most \(services.configuration.limits.messagesPerMinute) messages a minute")
            }
            let acceptance: MessageAcceptance
            do {
                acceptance = try await services.coordinator.submit(
                    IncomingMessage(
                        userID: user.userID, content: content, threadID: threadID, clientMessageID: clientMessageID,
                        connectionID: connectionID))
            } catch {
                services.rateLimiter.release(reservation)
                throw error
            }
            if acceptance.isDuplicate {
                services.rateLimiter.release(reservation)
                commands.yield(.resend(acceptance.messageReceived))
            }
        }
    }
}
