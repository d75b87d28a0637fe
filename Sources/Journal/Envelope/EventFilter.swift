/// Which events a read or a subscription wants, applied at the source (in SQL and in the fan-out).
public enum EventFilter: Sendable, Hashable {
    /// Every event.
    case all
    /// The events owned by one user.
    case user(String)
    /// The events of one run.
    case run(String)
    /// The events of one thread. No index serves it (schema/0004_journal.sql): a read with it scans the log, so
    /// read a thread's history from the layers' projections; a subscription's live fan-out is unaffected.
    case thread(String)
    /// The events of one stream.
    case stream(String)

    /// True when the event passes the filter.
    public func matches(_ event: RecordedEvent) -> Bool {
        switch self {
        case .all: true
        case .user(let id): event.userID == id
        case .run(let id): event.runID == id
        case .thread(let id): event.threadID == id
        case .stream(let name): event.stream == name
        }
    }
}
