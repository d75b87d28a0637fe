-- GoldenPath journal on PostgreSQL, layer 1: the append-only event log, the record of deliveries, projection
-- checkpoints and the head of the log. The same tables and names as schema/0001_journal.sql (SQLite).
-- Apply with: psql "$URL" -f schema/postgres/0001_journal.sql (then the later files, in order).

-- Every event, in one total order. `seq` is assigned by the writer that holds the lock on `journal_head`, inside the
-- transaction that commits the event, so a reader of `seq > cursor` never skips a late commit. `payload` is the
-- exact text that was hashed (text, not jsonb), so the hash chain verifies byte for byte.
CREATE TABLE events (
    seq            BIGINT  PRIMARY KEY,
    event_id       TEXT    NOT NULL UNIQUE,
    stream         TEXT    NOT NULL,
    stream_version BIGINT  NOT NULL CHECK (stream_version >= 1),
    type           TEXT    NOT NULL,
    schema_version INTEGER NOT NULL DEFAULT 1,
    user_id        TEXT,
    thread_id      TEXT,
    run_id         TEXT,
    connection_id  TEXT,
    causation_seq  BIGINT,
    correlation_id TEXT,
    payload        TEXT    NOT NULL,
    recorded_at    TEXT    NOT NULL,
    prev_hash      TEXT    NOT NULL,
    hash           TEXT    NOT NULL,
    UNIQUE (stream, stream_version)
);
CREATE INDEX events_by_user ON events (user_id, seq);
CREATE INDEX events_by_run  ON events (run_id, seq);

CREATE FUNCTION goldenpath_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% are append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER events_refuse_change BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION goldenpath_refuse_change();

-- The last event's seq and hash, one row: each writer's batch locks it (SELECT … FOR UPDATE) for the whole
-- transaction, which is what orders the batches of every gateway sharing the database.
CREATE TABLE journal_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT  NOT NULL,
    hash TEXT    NOT NULL
);
INSERT INTO journal_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));

-- One row per journal-event frame written to a connection, committed before the frame is written.
CREATE TABLE deliveries (
    id                BIGSERIAL PRIMARY KEY,
    seq               BIGINT NOT NULL,
    connection_id     TEXT   NOT NULL,
    recipient_user_id TEXT   NOT NULL,
    frame_type        TEXT   NOT NULL,
    sent_at           TEXT   NOT NULL
);
CREATE INDEX deliveries_by_seq        ON deliveries (seq);
CREATE INDEX deliveries_by_recipient  ON deliveries (recipient_user_id, seq);
CREATE INDEX deliveries_by_connection ON deliveries (connection_id, seq);
CREATE TRIGGER deliveries_refuse_change BEFORE UPDATE OR DELETE ON deliveries
    FOR EACH ROW EXECUTE FUNCTION goldenpath_refuse_change();

-- How far each checkpointed projection has folded the log.
CREATE TABLE projection_checkpoints (
    name TEXT   PRIMARY KEY,
    seq  BIGINT NOT NULL
);
