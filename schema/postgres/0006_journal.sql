-- GoldenPath journal on PostgreSQL, layer 1 (continued): leases, for the processes that share one journal. The
-- same table as schema/0006_journal.sql (SQLite). A lease names the process that holds it and when it lapses
-- (milliseconds since 1970, on the holder's clock); the holder renews it before then, and another process may take
-- it once it has lapsed — with one INSERT … ON CONFLICT … WHERE, so that two processes never both take it.
CREATE TABLE leases (
    key        TEXT   PRIMARY KEY,
    holder     TEXT   NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX leases_by_holder ON leases (holder);
