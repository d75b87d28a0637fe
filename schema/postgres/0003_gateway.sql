-- GoldenPath gateway on PostgreSQL, layer 3: accounts, and the views over deliveries that people query with psql.
-- The same table and views as schema/0003_gateway.sql (SQLite).
-- Apply after schema/postgres/0001_journal.sql and the agents layer: psql "$URL" -f schema/postgres/0003_gateway.sql

-- Accounts. Not derived from events: the password hash must never enter the journal, which people copy and
-- share. Signing up also appends a `user_signed_up` event (without the hash).
CREATE TABLE users (
    user_id       TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

-- Every journal-event frame written to a connection, by recipient.
CREATE VIEW frames_by_user AS
SELECT d.recipient_user_id AS recipient_user_id,
       d.connection_id     AS connection_id,
       d.seq               AS seq,
       d.frame_type        AS type,
       d.sent_at           AS sent_at
FROM deliveries AS d;

-- Deliveries whose recipient is not the owner of the event delivered. Must always be empty.
CREATE VIEW cross_user_deliveries AS
SELECT d.recipient_user_id AS recipient_user_id,
       d.connection_id     AS connection_id,
       d.seq               AS seq,
       d.frame_type        AS type,
       d.sent_at           AS sent_at,
       e.user_id           AS event_user_id
FROM deliveries AS d
LEFT JOIN events AS e ON e.seq = d.seq
WHERE e.seq IS NULL OR e.user_id IS DISTINCT FROM d.recipient_user_id;
