import AgentRuntime
import Foundation
import Journal

/// The events the gateway itself appends: sign-ups, connections opened and closed, rejected input.
///
/// The vocabulary (type strings, payloads) belongs to the Agents layer (``AgentEvent``); this is the one place in
/// the gateway that appends.
struct GatewayEvents: Sendable {
    let journal: EventJournal
    let metrics: GatewayMetrics
    let makeID: @Sendable () -> String

    /// Appends `user_signed_up` to `user:<id>` and writes `account` in the same transaction: an account exists
    /// exactly when its event does (`verify` sees every account).
    /// - Throws: `JournalError`; its cause is the database's constraint error when the account's name is taken.
    func userSignedUp(userID: String, username: String, account: ProjectionRow) async throws {
        let newEvent = try AgentEvent.userSignedUp(UserSignedUp(username: username)).newEvent(
            EventMetadata(eventID: makeID(), userID: userID, connectionID: nil))
        let start = ContinuousClock.now
        defer { metrics.recordAppend(ContinuousClock.now - start) }
        try await journal.append([newEvent], to: EventStreams.user(userID), alongside: [account])
    }

    /// Appends `connection_opened` and returns it (its `seq` is where the connection's frames start).
    func connectionOpened(connectionID: String, userID: String) async throws -> RecordedEvent {
        try await append(
            .connectionOpened(ConnectionOpened(connectionID: connectionID)), userID: userID,
            connectionID: connectionID, stream: EventStreams.connection(connectionID))
    }

    /// Appends `connection_closed`.
    func connectionClosed(connectionID: String, userID: String, reason: String) async throws {
        try await append(
            .connectionClosed(ConnectionClosed(connectionID: connectionID, reason: reason)), userID: userID,
            connectionID: connectionID, stream: EventStreams.connection(connectionID))
    }

    /// Appends `input_rejected` standing for `repeatCount` rejections of one code on one connection.
    func inputRejected(connectionID: String, userID: String, code: String, message: String, repeatCount: Int)
        async throws
    {
        try await append(
            .inputRejected(
                InputRejected(connectionID: connectionID, code: code, message: message, repeatCount: repeatCount)),
            userID: userID, connectionID: connectionID, stream: EventStreams.connection(connectionID))
    }

    /// Records deliveries, committed before this returns.
    func recordDeliveries(_ deliveries: [Delivery]) async throws {
        let start = ContinuousClock.now
        defer { metrics.recordAppend(ContinuousClock.now - start) }
        try await journal.recordDeliveries(deliveries)
    }

    @discardableResult
    private func append(_ event: AgentEvent, userID: String, connectionID: String?, stream: String) async throws
        -> RecordedEvent
    {
        let newEvent = try event.newEvent(
            EventMetadata(eventID: makeID(), userID: userID, connectionID: connectionID))
        let start = ContinuousClock.now
        defer { metrics.recordAppend(ContinuousClock.now - start) }
        return try await journal.append(newEvent, to: stream)
    }
}
