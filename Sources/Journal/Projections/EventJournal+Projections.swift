extension EventJournal {
    /// Empties every inline projection's tables and folds the whole log into them again, in one transaction.
    /// - Throws: `JournalError` when the journal is not writable, or a projection's error.
    public func rebuildProjections() async throws {
        try await storage.rebuild(configuration.inlineProjections)
    }

    /// Folds the events after a checkpointed projection's checkpoint into its tables and moves the checkpoint.
    /// - Returns: The sequence number the projection has now folded up to.
    public func catchUp(_ projection: any JournalProjection) async throws -> Int64 {
        try await storage.catchUp(projection)
    }
}
