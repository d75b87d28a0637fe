import Agents
import Foundation
import HummingbirdWebSocket
import Journal
import Logging
import NIOWebSocket

extension WebSocketSession {
    /// The only writer of the socket. Journal-event frames are recorded as deliveries (committed) before they
    /// are written. Returns the close reason when it closed the connection itself, nil otherwise.
    func outboundLoop(commands: AsyncStream<SessionCommand>, outbound: WebSocketOutboundWriter, startSeq: Int64)
        async -> String?
    {
        // Every frame event of the user in (startSeq, sentThrough] was written to this connection.
        var sentThrough = startSeq
        do {
            for await command in commands {
                switch command {
                case .event(let event):
                    lag.decrement()
                    guard event.seq > sentThrough else { continue }
                    try await deliver([event], outbound: outbound)
                    sentThrough = event.seq
                case .reply(let type, let text):
                    try await outbound.write(.text(text))
                    services.metrics.frameSent(type: type)
                case .resend(let event):
                    try await deliver([event], outbound: outbound)
                case .resume(let afterSeq):
                    sentThrough = try await resume(
                        after: afterSeq, startSeq: startSeq, sentThrough: sentThrough, outbound: outbound)
                case .close(let error, let code, let reason):
                    if let error {
                        try await outbound.write(
                            .text(FrameEncoder.errorFrame(error, timestamp: services.timestamp)))
                        services.metrics.frameSent(type: "error")
                    }
                    try await outbound.close(code, reason: reason)
                    return reason
                }
            }
        } catch let error as JournalError {
            // The delivery could not be recorded, so the frame must not be written: tell the client and close.
            logger.warning("cannot record deliveries; closing", metadata: ["error": "\(error)"])
            let mapped = GatewayError.from(error)
            try? await outbound.write(.text(FrameEncoder.errorFrame(mapped, timestamp: services.timestamp)))
            try? await outbound.close(.unexpectedServerError, reason: "journal unavailable")
            return "journal_unavailable"
        } catch {
            // The socket is gone (the client closed): the inbound loop ends the session.
            logger.debug("outbound loop stopped", metadata: ["error": "\(error)"])
            return nil
        }
        return nil
    }

    /// Re-sends, in order, the user's frame events after `after` up to the journal's head that this connection
    /// has not been sent yet, then `resume_completed {head_seq}`. Returns the new `sentThrough`.
    private func resume(
        after: Int64, startSeq: Int64, sentThrough: Int64, outbound: WebSocketOutboundWriter
    ) async throws -> Int64 {
        let head = try await services.journal.headSeq()
        var cursor = after
        let pageSize = 500
        while cursor < head {
            let page = try await services.journal.events(after: cursor, filter: .user(user.userID), limit: pageSize)
            let frames = page.filter { event in
                event.seq <= head && AgentEvent.frameTypes.contains(event.type)
                    && !(event.seq > startSeq && event.seq <= sentThrough)
            }
            try await deliver(frames, outbound: outbound)
            guard let last = page.last, page.count == pageSize, last.seq < head else { break }
            cursor = last.seq
        }
        try await outbound.write(
            .text(
                FrameEncoder.replyFrame(
                    type: "resume_completed", timestamp: services.timestamp, fields: ["head_seq": Int(head)])))
        services.metrics.frameSent(type: "resume_completed")
        return max(sentThrough, head)
    }

    /// Records the deliveries (committed), then writes the frames.
    private func deliver(_ events: [RecordedEvent], outbound: WebSocketOutboundWriter) async throws {
        // Defence in depth: the subscription is filtered by owner at the source; never deliver a foreign event.
        let events = events.filter { $0.userID == user.userID }
        guard !events.isEmpty else { return }
        try await services.events.recordDeliveries(
            events.map { event in
                Delivery(
                    seq: event.seq, connectionID: connectionID, recipientUserID: user.userID, frameType: event.type)
            })
        for event in events {
            try await outbound.write(.text(FrameEncoder.eventFrame(event)))
            services.metrics.frameSent(type: event.type)
        }
    }
}
