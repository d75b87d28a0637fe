import Journal
import Logging
import PostgresNIO
import Synchronization

/// Feeds one process's subscriptions from a shared PostgreSQL log: one tailer reads `seq > cursor` and publishes,
/// in order, whenever it is woken — by this process's commits, by a notification on `goldenpath_events` (another
/// process committed), when the listening connection comes back, and on a slow timer — so the database's load grows
/// with processes, not with subscribers, and a lost notification only delays an event, never loses it.
final class PostgresFeed: Sendable {
    private let storage: PostgresStorage
    private let publish: @Sendable ([RecordedEvent]) -> Void
    private let wakeups: AsyncStream<Void>
    private let waker: AsyncStream<Void>.Continuation
    private let tasks = Mutex<[Task<Void, Never>]>([])
    private let stopped = Mutex(false)
    /// The most events the tailer reads (and publishes) at once.
    static let pageSize = 1_000
    /// How often the tailer looks even when nothing woke it.
    let pollInterval: Duration

    init(storage: PostgresStorage, publish: @escaping @Sendable ([RecordedEvent]) -> Void, pollInterval: Duration = .seconds(1)) {
        self.storage = storage
        self.publish = publish
        self.pollInterval = pollInterval
        (wakeups, waker) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Starts the tailer, the listener and the timer.
    func start() {
        let tailer = Task { await self.tail() }
        let listener = Task { await self.listen() }
        let timer = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: self.pollInterval)
                self.wake()
            }
        }
        tasks.withLock { $0 = [tailer, listener, timer] }
    }

    /// Makes the tailer read what is new.
    func wake() {
        waker.yield()
    }

    func stop() {
        stopped.withLock { $0 = true }
        waker.finish()
        for task in tasks.withLock({ $0 }) { task.cancel() }
    }

    private var logger: Logger { storage.logger }

    private func tail() async {
        var cursor: Int64?
        for await _ in wakeups {
            do {
                if cursor == nil { cursor = try await storage.headSeq() }
                guard var position = cursor else { continue }
                while true {
                    let page = try await storage.events(after: position, filter: .all, limit: Self.pageSize)
                    guard let last = page.last else { break }
                    publish(page)
                    position = last.seq
                    cursor = position
                    if page.count < Self.pageSize { break }
                }
            } catch {
                if stopped.withLock({ $0 }) { return }
                logger.warning(
                    "the journal feed cannot read PostgreSQL; it retries", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
    }

    /// Holds one connection listening on `goldenpath_events`; reconnects after a failure, and wakes the tailer each
    /// time it is back (what was committed meanwhile is read, not waited for).
    private func listen() async {
        var attempt = 0
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: storage.url.connectionConfiguration(durability: storage.durability),
                    id: 1, logger: logger)
                do {
                    try await connection.listen(on: PostgresStorage.channel) { notifications in
                        attempt = 0
                        self.wake()
                        for try await _ in notifications { self.wake() }
                    }
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch {
                if Task.isCancelled || stopped.withLock({ $0 }) { return }
                attempt += 1
                logger.warning(
                    "the journal's LISTEN connection failed; it reconnects",
                    metadata: ["error": "\(String(reflecting: error))", "attempt": "\(attempt)"])
            }
            try? await Task.sleep(for: .milliseconds(min(2_000, 100 * (1 << min(attempt, 5)))))
        }
    }
}
