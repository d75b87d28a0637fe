-- GoldenPath journal on PostgreSQL, layer 2 (agents): projections of runs, threads and messages, and the views people
-- query. The same tables, indexes and views as schema/0002_agents.sql (SQLite).
-- Apply after schema/postgres/0001_journal.sql: psql "$URL" -f schema/postgres/0002_agents.sql
-- The projection tables are derived from `events`: `goldenpath verify --rebuild` empties and refills them.
-- Times (`recorded_at`, `started_at`, `ended_at`, ...) are text, ISO 8601 UTC with milliseconds, as on SQLite.
-- `events.payload` is JSON text; the views parse it with `::jsonb` after replacing the escape `\u0000` (a NUL,
-- which PostgreSQL's JSON types refuse, and which a user's message may hold) by `\ufffd`, so that one such event
-- does not make a whole view fail.

-- One row per run (stream `run:<run_id>`), folded from the run's events.
CREATE TABLE runs (
    run_id         TEXT    PRIMARY KEY,
    user_id        TEXT    NOT NULL,
    thread_id      TEXT    NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
    current_agent  TEXT,
    event_count    BIGINT  NOT NULL DEFAULT 0,
    started_at     TEXT    NOT NULL,
    ended_at       TEXT,
    degraded       INTEGER NOT NULL DEFAULT 0,
    error_code     TEXT,
    final_response TEXT,
    -- agents: agent names in the order they started, comma-separated
    agents         TEXT    NOT NULL DEFAULT '',
    -- path: triage's data_sufficiency: sufficient | partial | insufficient
    path           TEXT,
    first_seq      BIGINT  NOT NULL,
    last_seq       BIGINT  NOT NULL
);
CREATE INDEX runs_by_user   ON runs (user_id, first_seq);
CREATE INDEX runs_by_status ON runs (status);

-- One row per conversation thread.
CREATE TABLE threads (
    thread_id     TEXT   PRIMARY KEY,
    user_id       TEXT   NOT NULL,
    title         TEXT   NOT NULL,
    created_at    TEXT   NOT NULL,
    updated_at    TEXT   NOT NULL,
    message_count BIGINT NOT NULL DEFAULT 0,
    last_run_id   TEXT
);
CREATE INDEX threads_by_user ON threads (user_id, updated_at);

-- The transcript: the user's messages (from `user_message`) and the answers (from `run_completed`).
CREATE TABLE messages (
    -- seq: the event the message comes from
    seq        BIGINT PRIMARY KEY,
    thread_id  TEXT   NOT NULL,
    run_id     TEXT   NOT NULL,
    user_id    TEXT   NOT NULL,
    role       TEXT   NOT NULL CHECK (role IN ('user', 'assistant')),
    content    TEXT   NOT NULL,
    created_at TEXT   NOT NULL
);
CREATE INDEX messages_by_thread ON messages (thread_id, seq);

-- Lets causation_tree follow causes without scanning the log.
CREATE INDEX events_by_causation ON events (causation_seq) WHERE causation_seq IS NOT NULL;

-- Every event of every run in order, with its agent, tool and time since the run's first event.
CREATE VIEW run_timeline AS
SELECT run_id,
       seq,
       type,
       replace(payload, '\u0000', '\ufffd')::jsonb ->> 'agent_name' AS agent_name,
       replace(payload, '\u0000', '\ufffd')::jsonb ->> 'tool_name'  AS tool_name,
       ROUND(EXTRACT(EPOCH FROM (recorded_at::timestamptz
             - FIRST_VALUE(recorded_at::timestamptz) OVER (PARTITION BY run_id ORDER BY seq))) * 1000)::bigint
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
            ELSE ROUND(EXTRACT(EPOCH FROM (ended_at::timestamptz - started_at::timestamptz)) * 1000)::bigint
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
WHERE e.user_id IS DISTINCT FROM o.user_id;

-- Each run's events as a tree along causation_seq: roots have no cause inside the run, depth counts from them.
CREATE VIEW causation_tree AS
WITH RECURSIVE tree (run_id, seq, parent_seq, depth, type) AS (
    SELECT e.run_id, e.seq, CAST(NULL AS BIGINT), 0, e.type
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
