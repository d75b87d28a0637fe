/// Folding events into projections' rows: shared by every backend, for inline projections, rebuilds, catch-ups and
/// `verify`'s rebuild in memory.
package enum ProjectionFold {
    /// The rows that `projections` read for `event` and `rows` does not know yet.
    package static func missingRows(
        for event: RecordedEvent, in projections: [any JournalProjection], rows: ProjectionRows
    ) -> [ProjectionRow.ID] {
        var missing: [ProjectionRow.ID] = []
        for projection in projections {
            for id in projection.rowsRead(by: event) where !rows.isKnown(id) && !missing.contains(id) {
                missing.append(id)
            }
        }
        return missing
    }

    /// Loads the rows `event` needs with `load` (each id it is asked for: the row, or nil when there is none),
    /// then folds the event into every projection.
    package static func apply(
        _ event: RecordedEvent, to projections: [any JournalProjection], rows: inout ProjectionRows,
        load: ([ProjectionRow.ID]) throws -> [ProjectionRow.ID: ProjectionRow]
    ) throws {
        let missing = missingRows(for: event, in: projections, rows: rows)
        if !missing.isEmpty {
            let loaded = try load(missing)
            for id in missing { rows.load(id, loaded[id]) }
        }
        for projection in projections {
            try projection.apply(event, to: &rows)
        }
    }

    /// Folds `event` into projections whose tables start empty (a rebuild): an undeclared-but-unknown row is absent.
    package static func applyFromEmpty(
        _ event: RecordedEvent, to projections: [any JournalProjection], rows: inout ProjectionRows
    ) throws {
        try apply(event, to: projections, rows: &rows) { _ in [:] }
    }
}
