import Journal
import Logging
import PostgresNIO

/// Events and projection rows in PostgreSQL's SQL: multi-row inserts and upserts (one round trip per table per
/// batch), reads by key with `= ANY($1)`, rows decoded by the column types their table declares.
enum PostgresRows {
    /// PostgreSQL takes at most 65,535 binds per statement.
    static let maximumBinds = 65_535

    static let eventColumns = """
        seq, event_id, stream, stream_version, type, schema_version, user_id, thread_id, run_id, connection_id, \
        causation_seq, correlation_id, payload, recorded_at, prev_hash, hash
        """

    // MARK: - Events

    /// Inserts events, as few statements as the bind limit allows.
    static func insert(_ events: [RecordedEvent], on connection: PostgresConnection, logger: Logger) async throws {
        let perRow = 16
        for chunk in chunks(of: events, rowsPerStatement: maximumBinds / perRow) {
            var binds = PostgresBindings(capacity: chunk.count * perRow)
            var values: [String] = []
            values.reserveCapacity(chunk.count)
            for (row, event) in chunk.enumerated() {
                let base = row * perRow
                values.append("(" + (1...perRow).map { "$\(base + $0)" }.joined(separator: ", ") + ")")
                binds.append(event.seq)
                binds.append(event.eventID)
                binds.append(event.stream)
                binds.append(event.streamVersion)
                binds.append(event.type)
                binds.append(Int32(event.schemaVersion))
                binds.append(event.userID)
                binds.append(event.threadID)
                binds.append(event.runID)
                binds.append(event.connectionID)
                binds.append(event.causationSeq)
                binds.append(event.correlationID)
                binds.append(event.payload)
                binds.append(event.recordedAt)
                binds.append(event.prevHash)
                binds.append(event.hash)
            }
            let sql = "INSERT INTO events (\(eventColumns)) VALUES " + values.joined(separator: ", ")
            try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        }
    }

    /// Inserts deliveries, `sent_at` the batch's time.
    static func insert(
        _ deliveries: [Delivery], sentAt: String, on connection: PostgresConnection, logger: Logger
    ) async throws {
        let perRow = 5
        for chunk in chunks(of: deliveries, rowsPerStatement: maximumBinds / perRow) {
            var binds = PostgresBindings(capacity: chunk.count * perRow)
            var values: [String] = []
            for (row, delivery) in chunk.enumerated() {
                let base = row * perRow
                values.append("(" + (1...perRow).map { "$\(base + $0)" }.joined(separator: ", ") + ")")
                binds.append(delivery.seq)
                binds.append(delivery.connectionID)
                binds.append(delivery.recipientUserID)
                binds.append(delivery.frameType)
                binds.append(sentAt)
            }
            let sql = """
                INSERT INTO deliveries (seq, connection_id, recipient_user_id, frame_type, sent_at) VALUES \
                \(values.joined(separator: ", "))
                """
            try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        }
    }

    /// The event a row of `SELECT \(eventColumns)` holds.
    static func event(from row: PostgresRow) throws -> RecordedEvent {
        let (
            seq, eventID, stream, version, type, schemaVersion, userID, threadID, runID, connectionID, causationSeq,
            correlationID, payload, recordedAt, prevHash, hash
        ) = try row.decode(
            (Int64, String, String, Int64, String, Int32, String?, String?, String?, String?, Int64?, String?, String,
             String, String, String).self)
        return RecordedEvent(
            seq: seq, eventID: eventID, stream: stream, streamVersion: version, type: type,
            schemaVersion: Int(schemaVersion), userID: userID, threadID: threadID, runID: runID,
            connectionID: connectionID, causationSeq: causationSeq, correlationID: correlationID, payload: payload,
            recordedAt: recordedAt, prevHash: prevHash, hash: hash)
    }

    /// The query of the events after `seq` that pass `filter`, in order, at most `limit`.
    static func eventsQuery(after seq: Int64, filter: EventFilter, limit: Int) -> PostgresQuery {
        var binds = PostgresBindings()
        binds.append(seq)
        var sql = "SELECT \(eventColumns) FROM events WHERE seq > $1"
        switch filter {
        case .all: break
        case .user(let id): sql += " AND user_id = $2"; binds.append(id)
        case .run(let id): sql += " AND run_id = $2"; binds.append(id)
        case .thread(let id): sql += " AND thread_id = $2"; binds.append(id)
        case .stream(let name): sql += " AND stream = $2"; binds.append(name)
        }
        sql += " ORDER BY seq LIMIT \(max(0, limit))"
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    /// The events after `seq` that pass `filter`, in order, at most `limit`.
    static func events(
        after seq: Int64, filter: EventFilter, limit: Int, on connection: PostgresConnection, logger: Logger
    ) async throws -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        let query = eventsQuery(after: seq, filter: filter, limit: limit)
        for try await row in try await connection.query(query, logger: logger) {
            events.append(try event(from: row))
        }
        return events
    }

    /// A ``RowQuery`` in PostgreSQL's SQL.
    static func query(_ query: RowQuery) -> PostgresQuery {
        let (sql, arguments) = query.sql { "$\($0)" }
        var binds = PostgresBindings()
        for argument in arguments { append(argument, to: &binds) }
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    /// A row a ``RowQuery`` answered.
    static func row(_ row: PostgresRow, of query: RowQuery) throws -> ProjectionRow {
        let values = try row.map(PostgresStorage.value(of:))
        return ProjectionRow(table: query.from, key: [], columns: zip(query.columns, values).map { ($0, $1) })
    }

    /// The rows a query answers, each with the query's columns.
    static func rows(_ query: RowQuery, on connection: PostgresConnection, logger: Logger) async throws -> [ProjectionRow] {
        var rows: [ProjectionRow] = []
        for try await row in try await connection.query(Self.query(query), logger: logger) {
            rows.append(try Self.row(row, of: query))
        }
        return rows
    }

    // MARK: - Projection rows

    /// Writes every row in `rows` (whole rows: a partial update of a loaded row is written as the row it made), one
    /// multi-row statement per table and shape.
    static func write(_ rows: [ProjectionRow], on connection: PostgresConnection, logger: Logger) async throws {
        var groups: [String: [ProjectionRow]] = [:]
        var order: [String] = []
        for row in rows {
            let shape = "\(row.table)|\(row.columns.map(\.name).joined(separator: ","))|\(row.onConflict)"
            if groups[shape] == nil { order.append(shape) }
            groups[shape, default: []].append(row)
        }
        for shape in order {
            guard let group = groups[shape], let first = group.first else { continue }
            let names = first.columns.map(\.name)
            for chunk in chunks(of: group, rowsPerStatement: maximumBinds / max(1, names.count)) {
                var binds = PostgresBindings(capacity: chunk.count * names.count)
                var values: [String] = []
                for (index, row) in chunk.enumerated() {
                    let base = index * names.count
                    values.append("(" + (1...names.count).map { "$\(base + $0)" }.joined(separator: ", ") + ")")
                    for column in row.columns { append(column.value, to: &binds) }
                }
                var sql = "INSERT INTO \(first.table) (\(names.joined(separator: ", "))) VALUES "
                sql += values.joined(separator: ", ")
                if first.onConflict == .update {
                    let updates = names.filter { !first.key.contains($0) }.map { "\($0) = excluded.\($0)" }
                    sql += " ON CONFLICT (\(first.key.joined(separator: ", "))) DO "
                    sql += updates.isEmpty ? "NOTHING" : "UPDATE SET " + updates.joined(separator: ", ")
                }
                try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
            }
        }
    }

    /// Reads the rows with these ids; each id is answered (nil: no such row).
    static func load(
        _ ids: [ProjectionRow.ID], tables: [String: ProjectionTable], on connection: PostgresConnection,
        logger: Logger
    ) async throws -> [ProjectionRow.ID: ProjectionRow?] {
        var found: [ProjectionRow.ID: ProjectionRow?] = [:]
        var byTable: [String: [ProjectionRow.ID]] = [:]
        for id in ids { byTable[id.table, default: []].append(id) }
        for (name, ids) in byTable {
            guard let table = tables[name] else {
                throw JournalError(code: .storage, message: "no projection declares the table of \(ids[0])")
            }
            for id in ids { found[id] = .some(nil) }
            let columns = table.columns.map(\.name).joined(separator: ", ")
            if table.key.count == 1, let keyColumn = table.columns.first(where: { $0.name == table.key[0] }) {
                var binds = PostgresBindings()
                switch keyColumn.type {
                case .integer: binds.append(ids.compactMap { $0.key.first?.integerValue })
                case .text, .real: binds.append(ids.compactMap { $0.key.first?.textValue })
                }
                let sql = "SELECT \(columns) FROM \(table.name) WHERE \(table.key[0]) = ANY($1)"
                for row in try await rows(of: table, PostgresQuery(unsafeSQL: sql, binds: binds), connection, logger) {
                    found[row.id] = row
                }
            } else {
                for id in ids {
                    var binds = PostgresBindings()
                    for value in id.key { append(value, to: &binds) }
                    let condition = table.key.enumerated().map { "\($1) = $\($0 + 1)" }.joined(separator: " AND ")
                    let sql = "SELECT \(columns) FROM \(table.name) WHERE \(condition)"
                    let answer = try await rows(of: table, PostgresQuery(unsafeSQL: sql, binds: binds), connection, logger)
                    found[id] = answer.first
                }
            }
        }
        return found
    }

    /// Runs a query whose columns are `table`'s, in order, and decodes its rows by their declared types.
    static func rows(
        of table: ProjectionTable, _ query: PostgresQuery, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> [ProjectionRow] {
        var rows: [ProjectionRow] = []
        for try await row in try await connection.query(query, logger: logger) {
            rows.append(try Self.row(row, of: table))
        }
        return rows
    }

    /// A row of `table`, its columns decoded by their declared types.
    static func row(_ row: PostgresRow, of table: ProjectionTable) throws -> ProjectionRow {
        let cells = row.makeRandomAccess()
            var columns: [ProjectionRow.Column] = []
            columns.reserveCapacity(table.columns.count)
            for (index, column) in table.columns.enumerated() {
                let value: ProjectionRow.Value
                switch column.type {
                case .integer: value = .integer(try cells[index].decode(Int64?.self))
                case .real: value = try cells[index].decode(Double?.self).map { .real($0) } ?? .null
                case .text: value = .text(try cells[index].decode(String?.self))
                }
                columns.append((column.name, value))
            }
            return ProjectionRow(table: table.name, key: table.key, columns: columns)
    }

    static func append(_ value: ProjectionRow.Value, to binds: inout PostgresBindings) {
        switch value {
        case .null: binds.appendNull()
        case .integer(let integer): binds.append(integer)
        case .real(let real): binds.append(real)
        case .text(let text): binds.append(text)
        }
    }

    private static func chunks<Element>(of elements: [Element], rowsPerStatement: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: elements.count, by: max(1, rowsPerStatement)).map {
            elements[$0..<min($0 + max(1, rowsPerStatement), elements.count)]
        }
    }
}
