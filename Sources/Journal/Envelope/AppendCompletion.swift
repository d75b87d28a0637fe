/// When an append returns: once its transaction has committed, or once its events hold their place in the
/// journal's order.
///
/// An ``ordered`` append returns as soon as the writer has given its events their `seq`, version and hash inside
/// the batch transaction it is writing, before that transaction commits (and, under `synchronous=FULL`, before
/// the fsync). Nothing is visible earlier for it: subscriptions, readers and sockets see the events only after the
/// commit, as for any append. What the appender gives up is the knowledge that the events are durable, so an
/// ordered append is for a step whose next step only needs the journal's order — the next event of a run — and
/// never for a step with effects outside the journal (call a tool only after its `tool_executing` committed).
///
/// When the transaction of an ordered append fails after it returned, its events are lost (their `seq` will be
/// given to later events). The writer then refuses every later append to that stream with the failure, so that
/// the stream never shows a hole, until an append made with `acknowledgingLoss` — how a run's owner journals the
/// run's end after a lost write. See docs/JOURNAL.md.
public enum AppendCompletion: Sendable, Hashable {
    /// Returns after the transaction that holds the events has committed.
    case committed
    /// Returns once the events have their `seq` in the writer's open transaction, before it commits.
    case ordered
}
