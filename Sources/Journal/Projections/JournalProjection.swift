import GRDB

/// Folds events into tables that are derived from the log and can be rebuilt from it at any time.
///
/// A projection registered in ``JournalConfiguration/inlineProjections`` is applied inside every append
/// transaction, so its tables are never behind the log. The same projection can instead be run checkpointed
/// with ``EventJournal/catchUp(_:)``. Either way ``EventJournal/rebuildProjections()`` empties its tables and
/// folds the whole log again, and `verify` checks that the live tables equal such a rebuild.
public protocol JournalProjection: Sendable {
    /// A stable name, used for checkpoints and in reports.
    var name: String { get }
    /// The tables the projection owns: emptied before a rebuild and compared by `verify`.
    var tables: [String] { get }
    /// Applies one event. Called in `seq` order, inside a write transaction.
    /// - Throws: Any error aborts the transaction that applied it.
    func apply(_ event: RecordedEvent, in db: Database) throws
}
