import AgentRuntime
import Foundation
import HummingbirdWebSocket
import Journal
import Logging
import NIOWebSocket

extension WebSocketSession {
    /// The only writer of the socket. Journal-event frames are recorded as deliveries (committed) before they
    /// are written. Returns the close reason when it closed the connection itself, nil otherwise.
    ///
    /// When the journal cannot record a delivery (a storage fault: busy, full, read-only, I/O error), the frame is
    /// not written: it is *held*, with every later event frame behind it in order, and retried with capped backoff
    /// (a ``SessionCommand/retryHeldFrames`` sent to `retries`) while replies (`pong`, errors) keep flowing. The
    /// connection stays open and catches up by itself once the journal is writable; more held frames than the
    /// subscription buffer allows closes it with 1013, as a slow client is (it resumes, losing nothing).
    func outboundLoop(
        commands: AsyncStream<SessionCommand>, retries: AsyncStream<SessionCommand>.Continuation,
        outbound: WebSocketOutboundWriter, startSeq: Int64
    ) async -> String? {
        // Every frame event of the user in (startSeq, sentThrough] was written to this connection or is held.
        var sentThrough = startSeq
        var held = HeldFrames(limit: services.configuration.limits.subscriptionBufferLimit)
        var retry: Task<Void, Never>?
        defer { retry?.cancel() }
        /// Writes `events` now, or holds them behind the frames already held.
        func send(_ events: [RecordedEvent]) async throws {
            guard held.isEmpty else {
                try held.append(events)
                return
            }
            do {
                try await deliver(events, outbound: outbound)
            } catch let error as JournalError where error.code != .closed {
                logger.warning("cannot record deliveries; holding frames", metadata: ["error": "\(error)"])
                try held.append(events)
                retry = scheduleRetry(after: held.nextBackoff(), into: retries)
            }
        }
        do {
            for await command in commands {
                switch command {
                case .event(let event):
                    lag.decrement()
                    guard event.seq > sentThrough else { continue }
                    sentThrough = event.seq
                    try await send([event])
                case .reply(let type, let text):
                    try await outbound.write(.text(text))
                    services.metrics.frameSent(type: type)
                case .resend(let event):
                    try await send([event])
                case .retryHeldFrames:
                    guard !held.isEmpty else { continue }
                    do {
                        try await deliver(held.frames, outbound: outbound)
                        logger.info("journal writable again; held frames sent", metadata: ["frames": "\(held.count)"])
                        held.removeAll()
                    } catch let error as JournalError where error.code != .closed {
                        retry = scheduleRetry(after: held.nextBackoff(), into: retries)
                    }
                case .resume(let afterSeq):
                    do {
                        if !held.isEmpty {
                            try await deliver(held.frames, outbound: outbound)
                            held.removeAll()
                        }
                        sentThrough = try await resume(
                            after: afterSeq, startSeq: startSeq, sentThrough: sentThrough, outbound: outbound)
                    } catch let error as JournalError where error.code != .closed {
                        // The client keeps its place and may ask again; the connection stays usable.
                        let mapped = GatewayError(
                            code: .journalUnavailable, message: "resume could not be completed; try again",
                            cause: error)
                        try await outbound.write(.text(FrameEncoder.errorFrame(mapped, timestamp: services.timestamp)))
                        services.metrics.frameSent(type: "error")
                    }
                case .close(let error, let code, let reason):
                    try await close(error: error, code: code, reason: reason, outbound: outbound)
                    return reason
                }
            }
        } catch is HeldFrames.Overflow {
            logger.info("closing a connection whose held frames overflowed")
            try? await outbound.close(.unknown(1013), reason: "too_slow")
            return "too_slow"
        } catch let error as JournalError {
            // The journal was closed: the server is stopping.
            logger.info("the journal closed; closing the connection", metadata: ["error": "\(error)"])
            try? await outbound.close(.goingAway, reason: "server stopping")
            return "server_stopping"
        } catch {
            // The socket is gone (the client closed): the inbound loop ends the session.
            logger.debug("outbound loop stopped", metadata: ["error": "\(error)"])
            return nil
        }
        return nil
    }

    private func close(
        error: GatewayError?, code: WebSocketErrorCode, reason: String, outbound: WebSocketOutboundWriter
    ) async throws {
        if let error {
            try await outbound.write(.text(FrameEncoder.errorFrame(error, timestamp: services.timestamp)))
            services.metrics.frameSent(type: "error")
        }
        try await outbound.close(code, reason: reason)
    }

    /// Wakes the outbound loop after `delay` to retry its held frames.
    private func scheduleRetry(after delay: Duration, into retries: AsyncStream<SessionCommand>.Continuation)
        -> Task<Void, Never>
    {
        Task {
            guard await sleepUnlessCancelled(for: delay) else { return }
            retries.yield(.retryHeldFrames)
        }
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
                    type: "resume_completed", timestamp: services.timestamp, fields: ["head_seq": .number(Double(head))])))
        services.metrics.frameSent(type: "resume_completed")
        return max(sentThrough, head)
    }

    /// Records the deliveries (committed), then writes the frames.
    private func deliver(_ events: [RecordedEvent], outbound: WebSocketOutboundWriter) async throws {
        // Defence in depth: the subscription is filtered by owner at the source; never deliver a foreign event.
        // One getting here is a bug upstream: dropped, logged and counted.
        let foreign = events.filter { $0.userID != user.userID }
        let events = foreign.isEmpty ? events : events.filter { $0.userID == user.userID }
        if !foreign.isEmpty {
            logger.error(
                "dropped events of another user that reached this connection",
                metadata: ["seqs": "\(foreign.map(\.seq))", "user.id": "\(user.userID)"])
            services.metrics.foreignEventsDropped(foreign.count)
        }
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
