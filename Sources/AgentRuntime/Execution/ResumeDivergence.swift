/// Thrown by a resuming ``RunRecorder`` when the re-execution produces an event that differs from the one
/// journaled at the same place: the run cannot be resumed and is ended `run_failed {INTERRUPTED}` instead.
struct ResumeDivergence: Error, Sendable, CustomStringConvertible {
    /// The place in the run's stream (the event's index in its id `<run_id>:<index>`).
    var index: Int
    /// The compared fields that differ (`type`, `payload.tool_name`, …); `event` when one side has no event.
    var fields: [String]

    var description: String {
        "event \(index) differs from the journal (\(fields.joined(separator: ", ")))"
    }
}
