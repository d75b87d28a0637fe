/// A seam for failure tests: lets a test make the journal's storage fail the way a disk does, without mocking
/// anything else. Production journals have none.
///
/// The writer calls ``beforeCommit(batchSize:)`` inside each group-commit transaction, after `BEGIN IMMEDIATE`;
/// a thrown error rolls the whole batch back and fails every append in it, exactly as an `SQLITE_IOERR` or
/// `SQLITE_FULL` at commit would.
public protocol StorageFaultInjector: Sendable {
    /// Throws to fail the transaction being committed (for example `JournalError(code: .ioError, …)`).
    func beforeCommit(batchSize: Int) throws
}
