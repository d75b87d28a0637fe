-- GoldenPath journal, layer 1 (continued): leases, for the processes that share one journal. A lease names the
-- process that holds it and when it lapses (milliseconds since 1970, on the holder's clock); the holder renews it
-- before then, and another process may take it once it has lapsed. The gateways lease the runs they execute, so
-- that a crashed gateway's runs are resumed exactly once, by one other gateway (SPEC section 7). An SQLite journal
-- has one process and leaves the table empty.
CREATE TABLE leases (
    key        TEXT    PRIMARY KEY,
    holder     TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX leases_by_holder ON leases (holder);
