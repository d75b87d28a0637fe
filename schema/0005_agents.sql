-- GoldenPath journal, layer 2 (agents), 0005: views the inspector, the replayer and the checks read, so that
-- their questions are asked in the same words on every backend (schema/postgres/ has the same views).
-- Apply after 0002_agents.sql.

-- One line per run with what `goldenpath runs` lists: its summary, its place in the log, the models that answered
-- and the tokens they counted.
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
       (SELECT group_concat(DISTINCT json_extract(e.payload, '$.model')) FROM events AS e
         WHERE e.run_id = s.run_id AND e.type = 'llm_response') AS models,
       (SELECT COALESCE(SUM(json_extract(e.payload, '$.prompt_tokens')
                            + json_extract(e.payload, '$.completion_tokens')), 0)
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
