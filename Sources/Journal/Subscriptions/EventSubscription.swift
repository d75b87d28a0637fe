/// The events after a sequence number, first from disk and then live, gapless and in order.
///
/// Filtered at the source: a subscriber for one user never receives, buffers or decodes another user's event.
/// Iterating registers the subscriber; cancelling the iterating task, or dropping the iterator, unregisters it
/// and releases its buffer. See ``SubscriptionOptions`` for what happens to a slow consumer.
///
/// ```swift
/// for try await event in journal.subscribe(after: lastSeen, filter: .user(userID)) {
///     try await send(event)
/// }
/// ```
public struct EventSubscription: AsyncSequence, Sendable {
    /// Each element is a recorded event, in `seq` order.
    public typealias Element = RecordedEvent

    let journal: EventJournal
    let after: Int64
    let filter: EventFilter
    let options: SubscriptionOptions

    /// Creates the iterator, registering the subscriber.
    public func makeAsyncIterator() -> Iterator {
        Iterator(
            consumer: SubscriptionConsumer(
                journal: journal, buffer: journal.hub.register(filter: filter, options: options), cursor: after))
    }

    /// Iterates a subscription. Not shared between tasks.
    public struct Iterator: AsyncIteratorProtocol {
        let consumer: SubscriptionConsumer

        /// The next event, or nil when the journal closed.
        /// - Throws: `CancellationError` when the task is cancelled; `JournalError` with `subscriberLagged` under
        ///   the `.fail` policy, or when the log cannot be read.
        public mutating func next() async throws -> RecordedEvent? {
            try await consumer.next()
        }
    }
}

/// The consumer side of one subscription: the cursor and the page read from disk. Unregisters on deinit.
final class SubscriptionConsumer {
    private let journal: EventJournal
    private let buffer: SubscriberBuffer
    private var cursor: Int64
    private var page: [RecordedEvent] = []
    private var pageIndex = 0
    private var readingDisk = false

    init(journal: EventJournal, buffer: SubscriberBuffer, cursor: Int64) {
        self.journal = journal
        self.buffer = buffer
        self.cursor = cursor
    }

    deinit {
        journal.hub.unregister(buffer)
    }

    func next() async throws -> RecordedEvent? {
        while true {
            if pageIndex < page.count {
                let event = page[pageIndex]
                pageIndex += 1
                cursor = event.seq
                return event
            }
            if Task.isCancelled {
                journal.hub.unregister(buffer)
                throw CancellationError()
            }
            if readingDisk {
                try await readPage()
                continue
            }
            switch buffer.nextStep(after: cursor) {
            case .deliver(let event):
                cursor = event.seq
                return event
            case .readDisk(let afterOverflow):
                if afterOverflow, buffer.options.overflow == .fail {
                    journal.hub.unregister(buffer)
                    throw JournalError(
                        code: .subscriberLagged,
                        message: "the subscriber fell more than \(buffer.options.bufferLimit) events behind")
                }
                readingDisk = true
            case .wait:
                let buffer = self.buffer
                await withTaskCancellationHandler {
                    await buffer.waitForEvents()
                } onCancel: {
                    buffer.finish()
                }
            case .finished:
                if Task.isCancelled { throw CancellationError() }
                return nil
            }
        }
    }

    private func readPage() async throws {
        let limit = buffer.options.pageSize
        page = try await journal.events(after: cursor, filter: buffer.filter, limit: limit)
        pageIndex = 0
        if page.count < limit { readingDisk = false }
    }
}
