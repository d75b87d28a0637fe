/// What the appender believes the stream's current version is: the optimistic-concurrency check of an append.
public enum ExpectedVersion: Sendable, Hashable {
    /// Append whatever the stream's version.
    case any
    /// The stream must not exist yet.
    case noStream
    /// The stream's last event must have exactly this version.
    case exactly(Int64)

    func admits(_ current: Int64) -> Bool {
        switch self {
        case .any: true
        case .noStream: current == 0
        case .exactly(let version): current == version
        }
    }
}
