-- GoldenPath journal, layer 1: the append-only event log, the record of deliveries, projection checkpoints.
-- Apply with: sqlite3 new.sqlite < schema/0001_journal.sql (then the later files, in order).

-- Every event, in one total order. `seq` is the global order; `stream`/`stream_version` the per-stream order.
CREATE TABLE events (
    seq            INTEGER PRIMARY KEY,
    event_id       TEXT    NOT NULL UNIQUE,
    stream         TEXT    NOT NULL,
    stream_version INTEGER NOT NULL CHECK (stream_version >= 1),
    type           TEXT    NOT NULL,
    schema_version INTEGER NOT NULL DEFAULT 1,
    user_id        TEXT,
    thread_id      TEXT,
    run_id         TEXT,
    connection_id  TEXT,
    causation_seq  INTEGER,
    correlation_id TEXT,
    payload        TEXT    NOT NULL CHECK (json_valid(payload)),
    recorded_at    TEXT    NOT NULL,
    prev_hash      TEXT    NOT NULL,
    hash           TEXT    NOT NULL,
    UNIQUE (stream, stream_version)
);
CREATE INDEX events_by_user   ON events (user_id, seq);
CREATE INDEX events_by_run    ON events (run_id, seq);
CREATE INDEX events_by_thread ON events (thread_id, seq);

CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

-- One row per journal-event frame written to a connection, committed before the frame is written.
CREATE TABLE deliveries (
    id                INTEGER PRIMARY KEY,
    seq               INTEGER NOT NULL,
    connection_id     TEXT    NOT NULL,
    recipient_user_id TEXT    NOT NULL,
    frame_type        TEXT    NOT NULL,
    sent_at           TEXT    NOT NULL
);
CREATE INDEX deliveries_by_seq       ON deliveries (seq);
CREATE INDEX deliveries_by_recipient ON deliveries (recipient_user_id, seq);
CREATE INDEX deliveries_by_connection ON deliveries (connection_id, seq);

CREATE TRIGGER deliveries_refuse_update BEFORE UPDATE ON deliveries
BEGIN
    SELECT RAISE(ABORT, 'deliveries are append-only');
END;
CREATE TRIGGER deliveries_refuse_delete BEFORE DELETE ON deliveries
BEGIN
    SELECT RAISE(ABORT, 'deliveries are append-only');
END;

-- How far each checkpointed projection has folded the log.
CREATE TABLE projection_checkpoints (
    name TEXT PRIMARY KEY,
    seq  INTEGER NOT NULL
);
