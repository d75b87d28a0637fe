/// A seam for failure tests: lets a test make the journal's storage fail the way a disk does, without mocking
/// anything else. Production journals have none.
///
/// The writer calls ``beforeCommit(batchSize:)`` inside each group-commit transaction, after `BEGIN IMMEDIATE`;
/// a thrown error rolls the whole batch back and fails every append in it, exactly as an `SQLITE_IOERR` or
/// `SQLITE_FULL` at commit would. ``atCommit(batchSize:)`` is called after the batch's events are written, right
/// before `COMMIT`: an error there also loses the ordered appends of the batch, which have been answered already
/// (``AppendCompletion/ordered``).
public protocol StorageFaultInjector: Sendable {
    /// Throws to fail the transaction being committed (for example `JournalError(code: .ioError, …)`).
    func beforeCommit(batchSize: Int) throws

    /// Throws to fail the transaction at its `COMMIT`, after its requests were written. By default, nothing.
    func atCommit(batchSize: Int) throws
}

extension StorageFaultInjector {
    /// Nothing: only ``StorageFaultInjector/beforeCommit(batchSize:)`` fails by default.
    public func atCommit(batchSize: Int) throws {}
}
