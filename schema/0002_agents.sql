-- GoldenPath journal, layer 2 (agents): projections of runs, threads and messages, and the views people query.
-- Apply after 0001_journal.sql: sqlite3 new.sqlite < schema/0002_agents.sql
-- The projection tables are derived from `events`: `goldenpath verify --rebuild` empties and refills them.

-- One row per run (stream `run:<run_id>`), folded from the run's events.
CREATE TABLE runs (
    run_id         TEXT    PRIMARY KEY,
    user_id        TEXT    NOT NULL,
    thread_id      TEXT    NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
    current_agent  TEXT,
    event_count    INTEGER NOT NULL DEFAULT 0,
    started_at     TEXT    NOT NULL,
    ended_at       TEXT,
    degraded       INTEGER NOT NULL DEFAULT 0,
    error_code     TEXT,
    final_response TEXT,
    agents         TEXT    NOT NULL DEFAULT '',   -- agent names in the order they started, comma-separated
    path           TEXT,                          -- triage's data_sufficiency: sufficient | partial | insufficient
    first_seq      INTEGER NOT NULL,
    last_seq       INTEGER NOT NULL
);
CREATE INDEX runs_by_user   ON runs (user_id, first_seq);
CREATE INDEX runs_by_status ON runs (status);

-- One row per conversation thread.
CREATE TABLE threads (
    thread_id     TEXT    PRIMARY KEY,
    user_id       TEXT    NOT NULL,
    title         TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    message_count INTEGER NOT NULL DEFAULT 0,
    last_run_id   TEXT
);
CREATE INDEX threads_by_user ON threads (user_id, updated_at);

-- The transcript: the user's messages (from `user_message`) and the answers (from `run_completed`).
CREATE TABLE messages (
    seq        INTEGER PRIMARY KEY,   -- the event the message comes from
    thread_id  TEXT    NOT NULL,
    run_id     TEXT    NOT NULL,
    user_id    TEXT    NOT NULL,
    role       TEXT    NOT NULL CHECK (role IN ('user', 'assistant')),
    content    TEXT    NOT NULL,
    created_at TEXT    NOT NULL
);
CREATE INDEX messages_by_thread ON messages (thread_id, seq);

-- Lets causation_tree follow causes without scanning the log.
CREATE INDEX events_by_causation ON events (causation_seq) WHERE causation_seq IS NOT NULL;

-- Every event of every run in order, with its agent, tool and time since the run's first event.
CREATE VIEW run_timeline AS
SELECT run_id,
       seq,
       type,
       json_extract(payload, '$.agent_name') AS agent_name,
       json_extract(payload, '$.tool_name')  AS tool_name,
       CAST(ROUND((julianday(recorded_at)
             - julianday(FIRST_VALUE(recorded_at) OVER (PARTITION BY run_id ORDER BY seq))) * 86400000) AS INTEGER)
           AS offset_ms,
       user_id,
       causation_seq
FROM events
WHERE run_id IS NOT NULL;

-- One line per run.
CREATE VIEW run_summary AS
SELECT run_id,
       user_id,
       thread_id,
       status,
       agents,
       event_count,
       CASE WHEN ended_at IS NULL THEN NULL
            ELSE CAST(ROUND((julianday(ended_at) - julianday(started_at)) * 86400000) AS INTEGER)
       END AS duration_ms,
       path,
       degraded,
       error_code,
       started_at,
       ended_at
FROM runs;

-- Events inside a run whose owner differs from the owner of the run's user_message: must always be empty.
CREATE VIEW cross_user_events AS
SELECT e.run_id,
       e.seq,
       e.type,
       e.user_id,
       o.user_id AS run_owner
FROM events AS e
JOIN events AS o ON o.run_id = e.run_id AND o.type = 'user_message'
WHERE e.user_id IS NOT o.user_id;

-- Each run's events as a tree along causation_seq: roots have no cause inside the run, depth counts from them.
CREATE VIEW causation_tree AS
WITH RECURSIVE tree (run_id, seq, parent_seq, depth, type) AS (
    SELECT e.run_id, e.seq, NULL, 0, e.type
    FROM events AS e
    WHERE e.run_id IS NOT NULL
      AND (e.causation_seq IS NULL
           OR NOT EXISTS (SELECT 1 FROM events AS p WHERE p.seq = e.causation_seq AND p.run_id = e.run_id))
    UNION ALL
    SELECT c.run_id, c.seq, c.causation_seq, tree.depth + 1, c.type
    FROM events AS c
    JOIN tree ON c.causation_seq = tree.seq AND c.run_id = tree.run_id
)
SELECT run_id, seq, parent_seq, depth, type FROM tree;
