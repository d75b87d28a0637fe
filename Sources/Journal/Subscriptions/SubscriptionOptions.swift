/// How a subscription buffers live events for a consumer that is slower than the writer.
///
/// The writer never waits for a subscriber: it hands each committed event to every matching subscriber's
/// buffer and moves on. The buffer holds at most ``bufferLimit`` events. When it would hold more, it is emptied,
/// and what happens next is the ``overflow`` policy.
public struct SubscriptionOptions: Sendable, Hashable {
    /// What a subscription does when its consumer falls more than ``SubscriptionOptions/bufferLimit`` events behind.
    public enum OverflowPolicy: Sendable, Hashable {
        /// Drop the buffer and read the missed events back from disk, then go live again. Nothing is lost and
        /// memory stays bounded; a consumer that is always slow simply reads from disk. The default.
        case catchUpFromDisk
        /// End the subscription with `JournalError.Code.subscriberLagged`. The gateway uses this to close a
        /// connection that stopped reading; its client resumes from the last sequence it saw.
        case fail
    }

    /// The most live events held for the consumer. Default 1,000.
    public var bufferLimit: Int
    /// What happens beyond the limit. Default ``OverflowPolicy/catchUpFromDisk``.
    public var overflow: OverflowPolicy
    /// How many events one catch-up read takes from disk. Default 500.
    public var pageSize: Int

    /// Creates options.
    public init(bufferLimit: Int = 1_000, overflow: OverflowPolicy = .catchUpFromDisk, pageSize: Int = 500) {
        self.bufferLimit = max(1, bufferLimit)
        self.overflow = overflow
        self.pageSize = max(1, pageSize)
    }
}
