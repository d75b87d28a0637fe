-- GoldenPath journal on PostgreSQL, layer 2 (agents), 0005: views the inspector, the replayer and the checks read, so
-- that their questions are asked in the same words on every backend. The same views as schema/0005_agents.sql (SQLite).
-- Apply after schema/postgres/0002_agents.sql: psql "$URL" -f schema/postgres/0005_agents.sql

-- One line per run with what `goldenpath runs` lists: its summary, its place in the log, the models that answered
-- and the tokens they counted.
-- `models` lists each model once, in the order of its first llm_response (the order SQLite's group_concat gives
-- when it reads the run's events along events_by_run); `tokens` is a BIGINT, 0 without llm_response.
CREATE VIEW run_listing AS
SELECT s.run_id,
       s.user_id,
       s.thread_id,
       s.status,
       s.agents,
       s.event_count,
       s.duration_ms,
       s.path,
       s.degraded,
       s.error_code,
       s.started_at,
       r.first_seq,
       (SELECT string_agg(m.model, ',' ORDER BY m.first_seq)
          FROM (SELECT replace(e.payload, '\u0000', '\ufffd')::jsonb ->> 'model' AS model, MIN(e.seq) AS first_seq
                  FROM events AS e
                 WHERE e.run_id = s.run_id AND e.type = 'llm_response'
                 GROUP BY 1) AS m) AS models,
       (SELECT CAST(COALESCE(SUM((replace(e.payload, '\u0000', '\ufffd')::jsonb ->> 'prompt_tokens')::bigint
                                 + (replace(e.payload, '\u0000', '\ufffd')::jsonb ->> 'completion_tokens')::bigint),
                             0) AS BIGINT)
          FROM events AS e WHERE e.run_id = s.run_id AND e.type = 'llm_response') AS tokens
FROM run_summary AS s
JOIN runs AS r ON r.run_id = s.run_id;

-- Every frame written to a connection for a run's events, with the run and stream of the event it carried.
CREATE VIEW run_deliveries AS
SELECT d.id,
       d.seq,
       d.connection_id,
       d.recipient_user_id,
       d.frame_type,
       d.sent_at,
       e.run_id,
       e.stream
FROM deliveries AS d
JOIN events AS e ON e.seq = d.seq;

-- Runs opened by a user_message that have no terminal event, with their last event: verify warns about each.
CREATE VIEW unterminated_runs AS
SELECT s.run_id,
       s.seq,
       (SELECT MAX(l.seq) FROM events AS l WHERE l.run_id = s.run_id) AS last_seq
FROM events AS s
WHERE s.type = 'user_message'
  AND NOT EXISTS (SELECT 1 FROM events AS t
                  WHERE t.run_id = s.run_id AND t.type IN ('run_completed', 'run_failed', 'run_cancelled'));

-- How many runs are in each status (the health probe's counts).
CREATE VIEW run_status_counts AS
SELECT status, COUNT(*) AS runs
FROM runs
GROUP BY status;
