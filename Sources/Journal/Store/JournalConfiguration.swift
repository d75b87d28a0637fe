public import Foundation
public import Logging

/// How a journal is opened and how it behaves. One `Sendable` value with defaults.
public struct JournalConfiguration: Sendable {
    /// What an acknowledged append survives.
    public enum Durability: String, Sendable, CaseIterable {
        /// `synchronous=FULL`: an acknowledged event survives a process crash and a power loss.
        case full
        /// `synchronous=NORMAL`: an acknowledged event survives a process crash, not necessarily a power loss.
        case normal

        var pragmaValue: Int { self == .full ? 2 : 1 }
    }

    /// The durability of acknowledged appends. Default `.full`.
    public var durability: Durability = .full
    /// The schema files of the layers above the journal, applied after the journal's own, in order.
    public var migrations: [SchemaMigration] = []
    /// Projections updated inside every append transaction.
    public var inlineProjections: [any JournalProjection] = []
    /// Checks that `verify` runs beyond the journal's own.
    public var integrityChecks: [any IntegrityCheck] = []
    /// The clock that stamps `recorded_at`. Inject a fixed clock for deterministic tests.
    public var clock: @Sendable () -> Date = { Date() }
    /// How long a write waits for a lock held by another process before failing with `busy`.
    public var busyTimeout: Duration = .seconds(5)
    /// The most requests one group-commit transaction takes from the queue.
    public var maximumBatchSize: Int = 2_000
    /// Open without writing: no schema changes, appends fail with `readOnly`.
    public var readOnly = false
    /// Test seam: makes commits fail as a broken disk would. Nil (no faults) in production.
    public var faultInjector: (any StorageFaultInjector)?
    /// Where the journal logs.
    public var logger = Logger(label: "goldenpath.journal")

    /// Creates a configuration with the defaults.
    public init() {}
}
