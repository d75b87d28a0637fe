import Synchronization

/// The open connections of each user, with the per-user limit (default 10). One per application.
final class ConnectionRegistry: Sendable {
    private let limit: Int
    private let connections = Mutex([String: Set<String>]())

    init(limit: Int) {
        self.limit = limit
    }

    /// Registers a connection; false when the user already has `limit` open.
    func open(connectionID: String, userID: String) -> Bool {
        connections.withLock { connections in
            var mine = connections[userID] ?? []
            guard mine.count < limit else { return false }
            mine.insert(connectionID)
            connections[userID] = mine
            return true
        }
    }

    /// Unregisters a connection.
    func close(connectionID: String, userID: String) {
        connections.withLock { connections in
            connections[userID]?.remove(connectionID)
            if connections[userID]?.isEmpty == true { connections[userID] = nil }
        }
    }

    /// How many connections are open, in total.
    var count: Int { connections.withLock { $0.values.reduce(0) { $0 + $1.count } } }
}
