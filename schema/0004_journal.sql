-- GoldenPath journal, layer 1, 0004: an index no query needs.
-- Apply after 0001_journal.sql (and the other layers' files).

-- events_by_thread served only EventFilter.thread; a thread's history is read from the `threads` and `messages`
-- projections. Every index on `events` costs every append a B-tree insert, and one page per stream and index in
-- every commit when many runs append at once (docs/BENCHMARKS.md, "What an index on events costs").
DROP INDEX IF EXISTS events_by_thread;
