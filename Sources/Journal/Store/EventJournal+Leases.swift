package import Foundation

extension EventJournal {
    /// Whether other processes write this journal too (PostgreSQL): what one process executes, another must not,
    /// so the layers above lease it (``claimLease(_:holder:until:ifLapsedBy:)``).
    package var isShared: Bool { storage.isShared }

    /// Takes the lease `key` for `holder` until `expiry` — when no one holds it, when `holder` already does (a
    /// renewal), or when its holder let it lapse before `now`. One statement on either backend, so two processes
    /// never both take it.
    /// - Returns: Whether `holder` holds the lease now.
    /// - Throws: `JournalError` when the journal cannot be written.
    package func claimLease(_ key: String, holder: String, until expiry: Date, ifLapsedBy now: Date) async throws
        -> Bool
    {
        let rows = try await storage.rows(
            sql: """
                INSERT INTO leases (key, holder, expires_at) VALUES (?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE leases.holder = excluded.holder OR leases.expires_at < ?
                RETURNING holder
                """,
            arguments: [.text(key), .text(holder), .integer(Self.milliseconds(expiry)), .integer(Self.milliseconds(now))],
            write: true)
        return rows.first?.first == .text(holder)
    }

    /// Moves every lease `holder` holds to `expiry`.
    /// - Returns: How many it holds.
    /// - Throws: `JournalError` when the journal cannot be written.
    @discardableResult
    package func renewLeases(holder: String, until expiry: Date) async throws -> Int {
        let rows = try await storage.rows(
            sql: "UPDATE leases SET expires_at = ? WHERE holder = ? RETURNING key",
            arguments: [.integer(Self.milliseconds(expiry)), .text(holder)], write: true)
        return rows.count
    }

    /// Gives up the lease `key` if `holder` holds it.
    /// - Throws: `JournalError` when the journal cannot be written.
    package func releaseLease(_ key: String, holder: String) async throws {
        _ = try await storage.rows(
            sql: "DELETE FROM leases WHERE key = ? AND holder = ?", arguments: [.text(key), .text(holder)], write: true)
    }

    /// Milliseconds since 1970, as leases store their expiry.
    private static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000).rounded(.down))
    }
}
