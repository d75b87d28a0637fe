import DequeModule
import Foundation
import Synchronization

/// Counts failed logins and sign-ups in sliding windows and says when to refuse (SPEC §3): failures for one
/// user name from one address, failures from one address, failures for one user name from any address, and
/// sign-ups from one address. Counters are per process and forget what leaves their window.
///
/// A refused attempt is not counted, and the answer never depends on whether the user exists.
final class LoginThrottle: Sendable {
    /// One limit: at most `count` events within `window`.
    struct Limit: Sendable, Hashable {
        var count: Int
        var window: Duration
    }

    private struct Windows {
        var nameAndAddress: [String: Deque<Date>] = [:]
        var address: [String: Deque<Date>] = [:]
        var name: [String: Deque<Date>] = [:]
        var signups: [String: Deque<Date>] = [:]
        var recordsSinceSweep = 0
    }

    private let perNameAndAddress: Limit
    private let perAddress: Limit
    private let perName: Limit
    private let signupsPerAddress: Limit
    private let windows = Mutex(Windows())
    /// How many records between sweeps of keys whose window emptied (bounds memory under a flood of names).
    private static let sweepInterval = 1_024

    init(limits: GatewayConfiguration.Limits) {
        perNameAndAddress = Limit(
            count: limits.loginFailuresPerUserAndAddress, window: limits.loginFailureWindowPerUser)
        perAddress = Limit(count: limits.loginFailuresPerAddress, window: limits.loginFailureWindowPerAddress)
        perName = Limit(count: limits.loginFailuresPerUser, window: limits.loginFailureWindowPerUser)
        signupsPerAddress = Limit(count: limits.signupsPerAddressPerMinute, window: .seconds(60))
    }

    /// How long until a login for `name` from `address` may be tried, when one of the failure limits is reached;
    /// nil when it may be tried now.
    func loginRefusal(name: String, address: String, now: Date) -> Duration? {
        windows.withLock { windows in
            [
                Self.wait(&windows.nameAndAddress, key: "\(address)\u{0}\(name)", limit: perNameAndAddress, now: now),
                Self.wait(&windows.address, key: address, limit: perAddress, now: now),
                Self.wait(&windows.name, key: name, limit: perName, now: now),
            ].compactMap { $0 }.max()
        }
    }

    /// Counts one failed login.
    func recordFailure(name: String, address: String, now: Date) {
        windows.withLock { windows in
            windows.nameAndAddress["\(address)\u{0}\(name)", default: []].append(now)
            windows.address[address, default: []].append(now)
            windows.name[name, default: []].append(now)
            sweepIfDue(&windows, now: now)
        }
    }

    /// Counts a sign-up attempt from `address` and returns nil, or — when the address has reached its limit —
    /// how long until it may sign up again (the attempt is then not counted).
    func admitSignup(address: String, now: Date) -> Duration? {
        windows.withLock { windows in
            if let wait = Self.wait(&windows.signups, key: address, limit: signupsPerAddress, now: now) { return wait }
            windows.signups[address, default: []].append(now)
            sweepIfDue(&windows, now: now)
            return nil
        }
    }

    /// Forgets the times that left the window; when `limit.count` remain, the wait until the oldest leaves it.
    private static func wait(_ table: inout [String: Deque<Date>], key: String, limit: Limit, now: Date) -> Duration? {
        guard var times = table[key] else { return nil }
        let window = limit.window.timeInterval
        while let oldest = times.first, now.timeIntervalSince(oldest) >= window { times.removeFirst() }
        table[key] = times.isEmpty ? nil : times
        guard times.count >= max(1, limit.count), let oldest = times.first else { return nil }
        return .milliseconds(Int(((window - now.timeIntervalSince(oldest)) * 1_000).rounded(.up)))
    }

    private func sweepIfDue(_ windows: inout Windows, now: Date) {
        windows.recordsSinceSweep += 1
        guard windows.recordsSinceSweep >= Self.sweepInterval else { return }
        windows.recordsSinceSweep = 0
        Self.sweep(&windows.nameAndAddress, window: perNameAndAddress.window, now: now)
        Self.sweep(&windows.address, window: perAddress.window, now: now)
        Self.sweep(&windows.name, window: perName.window, now: now)
        Self.sweep(&windows.signups, window: signupsPerAddress.window, now: now)
    }

    private static func sweep(_ table: inout [String: Deque<Date>], window: Duration, now: Date) {
        let seconds = window.timeInterval
        table = table.filter { _, times in times.last.map { now.timeIntervalSince($0) < seconds } ?? false }
    }
}

extension Duration {
    /// The duration in seconds, as a `TimeInterval`.
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
