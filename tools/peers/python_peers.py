#!/usr/bin/env python3
"""The standard journal workload (docs/BENCHMARKS.md) on the Python event stores a team would pick instead of
GoldenPath: `eventsourcing` (its SQLite application recorder) and LangGraph's `SqliteSaver`. One JSON line per
phase, in `goldenpath bench journal --json`'s format, so that the lines can be put side by side.

    python3 -m venv /tmp/peers && /tmp/peers/bin/pip install 'eventsourcing==9.5.6' 'langgraph-checkpoint-sqlite==3.1.2'
    /tmp/peers/bin/python tools/peers/python_peers.py [--users 100] [--runs 20] [--peer eventsourcing|langgraph]

Every phase at synchronous=NORMAL (WAL), as `bench journal`'s. Building the payload objects is outside the timers,
encoding them (json.dumps, the store's own serializer) inside. Read phases open a new connection on the
`append_tx_per_event` database (SQLite's page cache cold, the OS cache warm), decode every payload and fold.

The mapping to LangGraph, which stores checkpoints rather than events: a run is a thread, an event is a checkpoint
whose channel values hold the payload (`put`, one transaction each) — except in `append_tx_per_run`, where a run's
12 events are the 12 pending writes of one `put_writes` (one transaction). Reads use `list`, newest first per
thread, so the fold reverses each thread's checkpoints.
"""
import argparse
import json
import math
import os
import sqlite3
import tempfile
import time

TYPES = ["user_message", "run_started", "agent_started", "agent_thinking", "tool_executing", "tool_completed",
         "agent_started", "agent_thinking", "agent_completed", "llm_response", "agent_completed", "run_completed"]
FILLER = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et "
          "dolore magna aliqua ut enim ad minim veniam quis nostrud exercitation ullamco laboris nisi ut aliquip ex "
          "ea commodo ")
SYNC = "NORMAL"


def agent_of(k):
    return "" if k in (0, 1, 11) else ("researcher" if 6 <= k <= 8 else "supervisor")


def workload(users, runs):
    """[(stream, [(type, payload_dict)])] in append order, run after run."""
    out = []
    for u in range(users):
        for r in range(runs):
            g = u * runs + r
            run_id = "00000000-0000-4000-8000-%06d%06d" % (u, r)
            events = []
            for k, type_ in enumerate(TYPES):
                owner = "user-%06d" % ((u + 1) % users if (g % 50 == 7 and k == 5) else u)
                payload = {"user_id": owner, "run_id": run_id, "thread_id": "thread-%06d-%06d" % (u, r),
                           "agent": agent_of(k), "seq": k, "text": ""}
                prefix = "%s #%d of run %d: " % (type_, k, g)
                payload["text"] = prefix
                room = 200 - len(json.dumps(payload, separators=(",", ":")))
                payload["text"] = prefix + FILLER[:room]
                assert len(json.dumps(payload, separators=(",", ":"))) == 200
                events.append((type_, payload))
            out.append(("run:" + run_id, events))
    return out


def read_order(count):
    step = 7919
    while math.gcd(step, count) != 1:
        step += 2
    return [(i * step) % count for i in range(count)]


class Fold:
    def __init__(self):
        self.count, self.status, self.agent = 0, None, None

    def apply(self, type_, payload):
        self.count += 1
        if type_ == "user_message":
            self.status = "pending"
        elif type_ == "run_started":
            self.status = "running"
        elif type_ == "run_completed":
            self.status = "completed"
        if type_ in ("agent_started", "agent_completed"):
            self.agent = payload["agent"]


def check(folds, runs, peer, phase):
    bad = [f for f in folds if (f.status, f.agent, f.count) != ("completed", "supervisor", 12)]
    if len(folds) != runs or bad:
        raise SystemExit("%s %s: %d runs folded, %d wrong" % (peer, phase, len(folds), len(bad)))


def line(peer, phase, events, seconds, sync=None, path=None):
    out = {"peer": peer, "phase": phase, "events": events, "seconds": round(seconds, 4),
           "events_per_s": round(events / seconds, 1)}
    if sync:
        out["sync"] = sync
    if path:
        out["db_bytes"] = sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))
    print(json.dumps(out), flush=True)


# MARK: - eventsourcing

def eventsourcing_peer(data, directory):
    from eventsourcing.persistence import StoredEvent
    from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteConnectionPool, SQLiteDatastore

    create = SQLiteConnectionPool._create_connection

    def create_with_sync(self):
        connection = create(self)
        connection._sqlite_conn.execute("PRAGMA synchronous=%s" % SYNC)
        return connection

    SQLiteConnectionPool._create_connection = create_with_sync

    def open_recorder(path):
        recorder = SQLiteApplicationRecorder(SQLiteDatastore(path, originator_id_type="text"))
        recorder.create_table()
        return recorder

    def stored(stream, k, type_, payload):
        return StoredEvent(originator_id=stream, originator_version=k, topic=type_,
                           state=json.dumps(payload, separators=(",", ":")).encode())

    events = sum(len(e) for _, e in data)
    a = os.path.join(directory, "es-a.sqlite")
    recorder = open_recorder(a)
    start = time.perf_counter()
    for stream, run in data:
        for k, (type_, payload) in enumerate(run):
            recorder.insert_events([stored(stream, k, type_, payload)])
    line("eventsourcing", "append_tx_per_event", events, time.perf_counter() - start, SYNC, a)
    recorder.datastore.close()

    b = os.path.join(directory, "es-b.sqlite")
    recorder = open_recorder(b)
    start = time.perf_counter()
    for stream, run in data:
        recorder.insert_events([stored(stream, k, t, p) for k, (t, p) in enumerate(run)])
    line("eventsourcing", "append_tx_per_run", events, time.perf_counter() - start, SYNC, b)
    recorder.datastore.close()

    recorder = open_recorder(a)
    recorder.select_notifications(start=1, limit=1)  # opens the connection outside the timer
    folds = {}
    start = time.perf_counter()
    position = 1
    while True:
        page = recorder.select_notifications(start=position, limit=1000)
        for n in page:
            folds.setdefault(n.originator_id, Fold()).apply(n.topic, json.loads(n.state))
        if len(page) < 1000:
            break
        position = page[-1].id + 1
    elapsed = time.perf_counter() - start
    check(list(folds.values()), len(data), "eventsourcing", "replay_all")
    line("eventsourcing", "replay_all", sum(f.count for f in folds.values()), elapsed)
    recorder.datastore.close()

    recorder = open_recorder(a)
    recorder.select_events(data[0][0], limit=1)
    order = read_order(len(data))
    folds = [None] * len(data)
    start = time.perf_counter()
    for index in order:
        fold = Fold()
        for stored_event in recorder.select_events(data[index][0]):
            fold.apply(stored_event.topic, json.loads(stored_event.state))
        folds[index] = fold
    elapsed = time.perf_counter() - start
    check(folds, len(data), "eventsourcing", "read_per_stream")
    line("eventsourcing", "read_per_stream", sum(f.count for f in folds), elapsed)
    recorder.datastore.close()


# MARK: - LangGraph SqliteSaver

def langgraph_peer(data, directory):
    from langgraph.checkpoint.sqlite import SqliteSaver

    def open_saver(path):
        connection = sqlite3.connect(path, check_same_thread=False)
        saver = SqliteSaver(connection)
        saver.setup()
        connection.execute("PRAGMA synchronous=%s" % SYNC)
        return saver

    def config(stream, checkpoint_id=None):
        configurable = {"thread_id": stream, "checkpoint_ns": ""}
        if checkpoint_id is not None:
            configurable["checkpoint_id"] = checkpoint_id
        return {"configurable": configurable}

    events = sum(len(e) for _, e in data)
    a = os.path.join(directory, "lg-a.sqlite")
    saver = open_saver(a)
    start = time.perf_counter()
    for stream, run in data:
        parent = None
        for k, (type_, payload) in enumerate(run):
            checkpoint = {"v": 1, "id": "%06d" % k, "ts": "2026-12-01T00:00:00+00:00",
                          "channel_values": {"type": type_, "event": payload}, "channel_versions": {},
                          "versions_seen": {}}
            saved = saver.put(config(stream, parent), checkpoint, {"step": k}, {})
            parent = saved["configurable"]["checkpoint_id"]
    line("langgraph-sqlite", "append_tx_per_event", events, time.perf_counter() - start, SYNC, a)
    saver.conn.close()

    b = os.path.join(directory, "lg-b.sqlite")
    saver = open_saver(b)
    start = time.perf_counter()
    for stream, run in data:
        saver.put_writes(config(stream, "run"), [(type_, payload) for type_, payload in run], task_id="run")
    line("langgraph-sqlite", "append_tx_per_run", events, time.perf_counter() - start, SYNC, b)
    saver.conn.close()

    def fold(tuples):
        f = Fold()
        for t in reversed(tuples):
            values = t.checkpoint["channel_values"]
            f.apply(values["type"], values["event"])
        return f

    saver = open_saver(a)
    next(saver.list(config(data[0][0]), limit=1))
    start = time.perf_counter()
    by_thread = {}
    for t in saver.list(None):
        by_thread.setdefault(t.config["configurable"]["thread_id"], []).append(t)
    folds = [fold(sorted(ts, key=lambda t: t.checkpoint["id"], reverse=True)) for ts in by_thread.values()]
    elapsed = time.perf_counter() - start
    check(folds, len(data), "langgraph-sqlite", "replay_all")
    line("langgraph-sqlite", "replay_all", sum(f.count for f in folds), elapsed)
    saver.conn.close()

    saver = open_saver(a)
    next(saver.list(config(data[0][0]), limit=1))
    order = read_order(len(data))
    folds = [None] * len(data)
    start = time.perf_counter()
    for index in order:
        folds[index] = fold(list(saver.list(config(data[index][0]))))
    elapsed = time.perf_counter() - start
    check(folds, len(data), "langgraph-sqlite", "read_per_stream")
    line("langgraph-sqlite", "read_per_stream", sum(f.count for f in folds), elapsed)
    saver.conn.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--peer", choices=["eventsourcing", "langgraph", "all"], default="all")
    arguments = parser.parse_args()
    data = workload(arguments.users, arguments.runs)
    with tempfile.TemporaryDirectory(prefix="goldenpath-peers-") as directory:
        if arguments.peer in ("eventsourcing", "all"):
            eventsourcing_peer(data, directory)
        if arguments.peer in ("langgraph", "all"):
            langgraph_peer(data, directory)


if __name__ == "__main__":
    main()
