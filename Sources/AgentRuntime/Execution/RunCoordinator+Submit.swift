import Foundation
import Journal
import Logging

extension RunCoordinator {
    /// Records a user message and its acknowledgement (`user_message` + `message_received`, one append to the
    /// new stream `run:<run_id>`), hands the run to ``run()``, and returns without waiting for it.
    ///
    /// Idempotent on `clientMessageID`: a repeat from the same user starts no run and writes nothing; it answers
    /// the original `message_received` with `isDuplicate: true`.
    /// - Throws: ``AgentsError`` — `invalidMessage` (blank), `threadNotFound` (unknown or another user's thread),
    ///   `tooManyRuns`, `journalUnavailable`, `shuttingDown`.
    public func submit(_ message: IncomingMessage) async throws -> MessageAcceptance {
        guard !message.content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw AgentsError(code: .invalidMessage, message: "the message is empty")
        }
        let userMessageID = message.clientMessageID.map {
            Self.userMessageEventID(userID: message.userID, clientMessageID: $0)
        }
        if let userMessageID, let earlier = try await acceptance(ofUserMessage: userMessageID, userID: message.userID) {
            return earlier
        }
        let threadID: String
        if let requested = message.threadID {
            guard try await queries.threadOwner(requested) == message.userID else {
                throw AgentsError(code: .threadNotFound, message: "no thread \(requested)")
            }
            threadID = requested
        } else {
            threadID = configuration.makeID()
        }
        let runID = configuration.makeID()
        let context = UserExecutionContext(
            userID: message.userID, threadID: threadID, runID: runID, requestID: message.clientMessageID ?? runID)
        let control = RunControl()
        do {
            try registry.reserve(
                runID: runID, userID: message.userID, control: control,
                limit: configuration.maximumConcurrentRunsPerUser)
        } catch .tooManyRuns {
            // A repeat whose original was recorded meanwhile (it may be the run holding the slot) gets its answer.
            if let userMessageID, let earlier = try await acceptance(ofUserMessage: userMessageID, userID: message.userID) {
                return earlier
            }
            throw AgentsError(
                code: .tooManyRuns,
                message: "at most \(configuration.maximumConcurrentRunsPerUser) runs may be open at once")
        } catch .closed {
            throw AgentsError(code: .shuttingDown, message: "the server is shutting down")
        }

        let recorded: AppendResult
        do {
            // On a shared journal the run is leased before it is visible, so no other gateway takes it for one
            // left open.
            if journal.isShared, !(try await claimLease(runID)) {
                throw JournalError(code: .storage, message: "the new run \(runID) is leased by another process")
            }
            let recorder = RunRecorder(journal: journal, context: context)
            let events = [
                try AgentEvent.userMessage(
                    UserMessage(
                        content: message.content, clientMessageID: message.clientMessageID, threadID: threadID,
                        runID: runID)
                ).newEvent(recorder.metadata(eventID: userMessageID ?? "\(runID):1", causedBy: nil)),
                try AgentEvent.messageReceived(
                    MessageReceived(
                        clientMessageID: message.clientMessageID, threadID: threadID, runID: runID)
                ).newEvent(recorder.metadata(eventID: "\(runID):2", causedBy: nil)),
            ].map { event in
                var event = event
                event.connectionID = message.connectionID
                return event
            }
            recorded = try await journal.append(events, to: recorder.stream, expectedVersion: .noStream)
        } catch let error as JournalError {
            if journal.isShared { await releaseLease(runID) }
            registry.release(runID)
            if error.code == .duplicateEventID, let userMessageID,
                let earlier = try await acceptance(ofUserMessage: userMessageID, userID: message.userID)
            {
                return earlier
            }
            logger.error(
                "cannot record a user message", metadata: ["error": "\(error)", "user.id": "\(message.userID)"])
            throw AgentsError(code: .journalUnavailable, message: "the journal cannot record the message", cause: error)
        } catch {
            registry.release(runID)
            throw AgentsError(code: .internal, message: "the message cannot be recorded")
        }
        guard recorded.events.count == 2, !recorded.wasAlreadyRecorded else {
            registry.release(runID)
            throw AgentsError(code: .internal, message: "the message was recorded unexpectedly")
        }
        let job = RunJob(
            context: context, content: message.content, messageReceivedSeq: recorded.events[1].seq, control: control)
        registry.attach(job)
        logger.info("run accepted", metadata: ["run.id": "\(runID)", "user.id": "\(message.userID)"])
        if case .terminated = jobsContinuation.yield(job) {
            await end(job, with: .stopped(.interrupted))
        }
        return MessageAcceptance(
            runID: runID, threadID: threadID, clientMessageID: message.clientMessageID,
            messageReceived: recorded.events[1], isDuplicate: false)
    }

    /// The event id of the `user_message` that carries a client message id: the same for every repeat, never the
    /// same for two users (the user id's length is part of it).
    static func userMessageEventID(userID: String, clientMessageID: String) -> String {
        "message:\(userID.utf8.count):\(userID):\(clientMessageID)"
    }

    /// The acceptance of an earlier message with this `user_message` event id, if there is one.
    private func acceptance(ofUserMessage eventID: String, userID: String) async throws -> MessageAcceptance? {
        let found: (runID: String, userID: String?)?
        do {
            found = try await queries.run(ofEvent: eventID)
        } catch {
            throw AgentsError(
                code: .journalUnavailable, message: "the journal cannot be read", cause: error as? JournalError)
        }
        guard let found else { return nil }
        guard found.userID == userID else {
            throw AgentsError(code: .internal, message: "the client message id belongs to another user's message")
        }
        let events = try await journal.events(filter: .stream(EventStreams.run(found.runID)), limit: 2)
        guard events.count == 2, case .messageReceived(let received) = try AgentEvent(recorded: events[1]) else {
            throw AgentsError(code: .internal, message: "the earlier message has no acknowledgement")
        }
        return MessageAcceptance(
            runID: received.runID, threadID: received.threadID, clientMessageID: received.clientMessageID,
            messageReceived: events[1], isDuplicate: true)
    }
}
