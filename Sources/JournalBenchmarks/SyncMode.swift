import Journal

/// The `PRAGMA synchronous` a phase runs under, printed as `sync`.
public enum SyncMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// `synchronous=NORMAL`: every phase runs so, as every peer does.
    case normal = "NORMAL"
    /// `synchronous=FULL`: an fsync per commit; the second run of the per-event and concurrent appends.
    case full = "FULL"

    /// The journal's durability for this mode.
    public var durability: JournalConfiguration.Durability { self == .full ? .full : .normal }
    /// The `PRAGMA synchronous` value.
    var pragmaValue: Int { self == .full ? 2 : 1 }
}
