import Foundation
import Journal

/// The `users` table: accounts and their password hashes, outside the event log.
struct UserStore: Sendable {
    /// One account row.
    struct StoredUser: Sendable, Hashable {
        var userID: String
        var username: String
        var passwordHash: String
    }

    let journal: EventJournal

    /// The `users` row of a new account; writing it fails when the name (or id) exists.
    static func account(userID: String, username: String, passwordHash: String, createdAt: String) -> ProjectionRow {
        ProjectionRow(
            table: "users", key: ["user_id"],
            columns: [
                ("user_id", .text(userID)), ("username", .text(username)), ("password_hash", .text(passwordHash)),
                ("created_at", .text(createdAt)),
            ], onConflict: .fail)
    }

    /// Creates an account: its row and its `user_signed_up`, in one transaction.
    /// - Throws: `GatewayError` `USERNAME_TAKEN` when the name exists; `JournalError` when the journal fails.
    func create(userID: String, username: String, passwordHash: String, createdAt: String, events: GatewayEvents)
        async throws
    {
        let account = Self.account(
            userID: userID, username: username, passwordHash: passwordHash, createdAt: createdAt)
        do {
            try await events.userSignedUp(userID: userID, username: username, account: account)
        } catch let error as JournalError where error.code == .rowConflict {
            throw GatewayError(code: .usernameTaken, message: "the user name \(username) is taken")
        }
    }

    /// The account with that name, if any.
    func find(username: String) async throws -> StoredUser? {
        try await journal.rows(
            RowQuery(
                from: "users", columns: ["user_id", "username", "password_hash"],
                where: [.equals("username", .text(username))])
        ).first.map { row in
            StoredUser(
                userID: row["user_id"]?.textValue ?? "", username: row["username"]?.textValue ?? "",
                passwordHash: row["password_hash"]?.textValue ?? "")
        }
    }
}
