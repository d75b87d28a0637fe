import Foundation
import Synchronization

/// A sliding-window limit of accepted messages per user (default 30 a minute), one per application.
///
/// A message takes a slot with ``reserve(userID:)`` before it is submitted and gives it back with
/// ``release(_:)`` when it is refused further on (a run limit, a duplicate): refused messages do not count.
final class RateLimiter: Sendable {
    /// A slot taken by one message.
    struct Reservation: Sendable, Hashable {
        let userID: String
        let id: UInt64
        let at: Date
    }

    private struct State {
        var windows: [String: [Reservation]] = [:]
        var nextID: UInt64 = 0
    }

    private let limit: Int
    private let window: TimeInterval
    private let clock: @Sendable () -> Date
    private let state = Mutex(State())

    init(limit: Int, window: TimeInterval = 60, clock: @escaping @Sendable () -> Date) {
        self.limit = limit
        self.window = window
        self.clock = clock
    }

    /// Takes a slot, or returns nil when the user is at the limit.
    func reserve(userID: String) -> Reservation? {
        let now = clock()
        return state.withLock { state in
            var entries = state.windows[userID] ?? []
            while let first = entries.first, now.timeIntervalSince(first.at) >= window { entries.removeFirst() }
            guard entries.count < limit else {
                state.windows[userID] = entries
                return nil
            }
            state.nextID += 1
            let reservation = Reservation(userID: userID, id: state.nextID, at: now)
            entries.append(reservation)
            state.windows[userID] = entries
            return reservation
        }
    }

    /// Gives a slot back.
    func release(_ reservation: Reservation) {
        state.withLock { state in
            state.windows[reservation.userID]?.removeAll { $0.id == reservation.id }
            if state.windows[reservation.userID]?.isEmpty == true { state.windows[reservation.userID] = nil }
        }
    }
}
