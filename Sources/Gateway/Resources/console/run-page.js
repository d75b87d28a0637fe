// The run page (`/runs/{id}`): the run's timeline from /api/runs/{id}/events — agents as lanes on a time axis,
// tools and LLM calls as bars with their durations, failures marked — which connections received which frames,
// and the caller's recent runs. Another user's run is the same "not found" as one that does not exist.

import { h, byId, clear } from "./dom.js";
import { api, signOut } from "./session.js";
import { startPage } from "./login.js";
import { ConsoleSocket, showStatus } from "./socket.js";
import { buildTimeline, axisTicks, connectionsOf } from "./timeline-model.js";
import { duration, epochMs, excerpt, json, shortId, when } from "./format.js";

const detail = byId("run-detail");
const statusElement = document.querySelector("[data-testid=connection-status]");
const runId = decodeURIComponent(location.pathname.replace(/^\/runs\/?/, "").replace(/\/$/, "")) || null;

async function main() {
  const session = await startPage("runs-page");
  const recent = showRecentRuns();
  if (runId) {
    const live = await showRun();
    if (live) follow(session);
  }
  await recent;
}

async function showRecentRuns() {
  const list = byId("recent-runs");
  try {
    const body = await api("/api/runs?limit=50");
    clear(list);
    if (!body.runs.length) list.append(h("li", { class: "muted" }, "No runs yet."));
    for (const run of body.runs) {
      const took = run.ended_at ? duration(epochMs(run.ended_at) - epochMs(run.started_at)) : "running";
      list.append(h("li", { class: run.run_id === runId ? "current" : null },
        h("a", { href: `/runs/${encodeURIComponent(run.run_id)}`, "data-testid": "recent-run" },
          h("span", { class: "badge small", "data-status": run.status }, run.status),
          h("span", {}, when(run.started_at)),
          h("span", { class: "muted small" }, `${run.agents.length} agents · ${run.event_count} events · ${took}`))));
    }
  } catch {
    clear(list);
    list.append(h("li", { class: "muted" }, "The runs could not be loaded."));
  }
}

/** Draws the run; returns whether it is still running (so the page follows it). */
async function showRun() {
  let run, events;
  try {
    [run, { events }] = await Promise.all([
      api(`/api/runs/${encodeURIComponent(runId)}`), api(`/api/runs/${encodeURIComponent(runId)}/events`),
    ]);
  } catch (error) {
    clear(detail);
    detail.append(error.status === 404
      ? h("div", { class: "not-found", "data-testid": "not-found" },
        h("h1", {}, "Run not found"), h("p", { class: "muted" }, "There is no run with this id among your runs."))
      : h("p", { class: "banner" }, "The run could not be loaded; reload the page to try again."));
    return false;
  }
  document.title = `Run ${shortId(runId)} · GoldenPath`;
  clear(detail);
  const timeline = buildTimeline(events);
  const inspector = h("section", { class: "inspector", "data-testid": "inspector" },
    h("p", { class: "muted" }, "Select a bar or a mark to see its events."));
  detail.append(header(run), drawTimeline(timeline, inspector), inspector, deliveries(events));
  return !run.ended_at;
}

function header(run) {
  const took = run.ended_at ? duration(epochMs(run.ended_at) - epochMs(run.started_at)) : "running";
  return h("header", { class: "run-summary" },
    h("h1", {}, "Run ", h("code", {}, run.run_id)),
    h("p", {},
      h("span", { class: "badge", "data-status": run.status }, run.degraded ? `${run.status} · degraded` : run.status),
      ` ${when(run.started_at)} · ${took} · ${run.event_count} events · `,
      h("a", { href: `/#thread=${encodeURIComponent(run.thread_id)}` }, "open the conversation")),
    run.error_code ? h("p", { class: "failure" }, run.error_code) : null,
    run.final_response ? h("details", { class: "final" }, h("summary", {}, "Answer"), h("div", { class: "answer-text" }, run.final_response)) : null);
}

function drawTimeline(timeline, inspector) {
  const position = (element, start, end) => {
    element.style.left = `${(start / timeline.total) * 100}%`;
    if (end !== undefined) element.style.width = `${Math.max(((end - start) / timeline.total) * 100, 0.4)}%`;
    return element;
  };
  const select = (title, items) => () => {
    clear(inspector);
    inspector.append(h("h2", {}, title));
    for (const event of items) {
      inspector.append(h("details", { open: true },
        h("summary", {}, `#${event.seq} ${event.type} · +${Math.round(epochMs(event.recorded_at) - epochMs(first))} ms`),
        h("pre", {}, json(event.payload))));
    }
  };
  const first = timeline.lanes[0]?.segments[0]?.events[0]?.recorded_at ?? null;
  const bar = (item, kind) => {
    const took = item.durationMs ?? item.end - item.start;
    const label = `${item.failed ? "✕ " : ""}${item.name ?? ""} ${duration(took)}`.trim();
    return position(h("button", {
      type: "button", class: `bar ${kind}${item.failed ? " failed" : ""}${item.open ? " open" : ""}`,
      title: `${label}${item.status ? ` · ${item.status}` : ""}`, "data-kind": kind,
      on: { click: select(label, item.events) },
    }, label), item.start, item.end);
  };
  const mark = (item) => position(h("button", {
    type: "button", class: `mark ${item.kind}${item.failed ? " failed" : ""}`, title: item.label, "aria-label": item.label,
    on: { click: select(item.label, item.events) },
  }), item.at);
  const axis = h("div", { class: "axis" });
  for (const at of axisTicks(timeline.total)) axis.append(position(h("span", { class: "tick" }, duration(at)), at));
  const lanes = timeline.lanes.map((lane) => h("div", {
    class: `lane${lane.failed ? " failed" : ""}`, "data-testid": "timeline-agent", "data-agent": lane.name,
  },
  h("div", { class: "lane-label" },
    h("span", { class: "agent-name" }, lane.name),
    h("span", { class: "badge small", "data-status": lane.status }, lane.status),
    h("span", { class: "muted small" }, `${duration(lane.durationMs)}${lane.deltas ? ` · ${lane.deltas} delta${lane.deltas === 1 ? "" : "s"}` : ""}`)),
  h("div", { class: "lane-track" },
    h("div", { class: "row mark-row" }, ...lane.marks.map(mark)),
    h("div", { class: "row agent-row" }, ...lane.segments.map((segment) => bar({
      ...segment, name: lane.name, failed: Boolean(segment.status) && segment.status !== "completed",
    }, "agent"))),
    h("div", { class: "row tool-row" }, ...lane.tools.map((item) => bar(item, "tool"))),
    h("div", { class: "row llm-row" }, ...lane.llms.map((item) => bar(item, "llm"))))));
  const runLane = h("div", { class: "lane run-lane" },
    h("div", { class: "lane-label" }, h("span", { class: "agent-name" }, "run"),
      h("span", { class: "badge small", "data-status": timeline.run.status }, timeline.run.status)),
    h("div", { class: "lane-track" }, h("div", { class: "row" }, ...timeline.run.marks.map(mark))));
  return h("section", { class: "timeline", "aria-label": "Timeline" },
    h("div", { class: "legend muted small" },
      h("span", { class: "key key-agent" }, "agent"), h("span", { class: "key key-tool" }, "tool call"),
      h("span", { class: "key key-llm" }, "LLM call"), h("span", { class: "key key-failed" }, "failed"),
      h("span", {}, "· dots: thinking, errors, resets")),
    h("div", { class: "lane axis-lane" }, h("div", { class: "lane-label muted small" }, "time"), h("div", { class: "lane-track" }, axis)),
    runLane, ...lanes);
}

function deliveries(events) {
  const connections = connectionsOf(events);
  const origin = events.length ? epochMs(events[0].recorded_at) : 0;
  const table = h("table", { class: "deliveries" },
    h("thead", {}, h("tr", {},
      h("th", {}, "seq"), h("th", {}, "at"), h("th", {}, "event"), h("th", {}, "agent"), h("th", {}, "tool / detail"),
      ...connections.map((connection) => h("th", { title: connection.id, class: "connection-column" }, shortId(connection.id))))));
  const body = h("tbody");
  for (const event of events) {
    const payload = event.payload ?? {};
    const byConnection = new Map((event.deliveries ?? []).map((delivery) => [delivery.connection_id, delivery]));
    body.append(h("tr", { class: event.deliveries?.length ? "frame" : "internal", "data-seq": event.seq },
      h("td", {}, String(event.seq)),
      h("td", { class: "muted" }, `+${duration(epochMs(event.recorded_at) - origin) || "0 ms"}`),
      h("td", {}, event.type),
      h("td", {}, payload.agent_name ?? ""),
      h("td", { class: "muted" }, excerpt(payload.tool_name ?? payload.error_code ?? payload.status ?? payload.purpose ?? "", 40)),
      ...connections.map((connection) => {
        const delivery = byConnection.get(connection.id);
        if (!delivery) return h("td", {});
        const lag = epochMs(delivery.sent_at) - epochMs(event.recorded_at);
        return h("td", { class: "delivered", title: `sent ${delivery.sent_at} (+${duration(lag) || "0 ms"})` }, "●");
      })));
  }
  table.append(body);
  return h("section", { class: "delivery-section" },
    h("h2", {}, "Frames by connection"),
    h("ul", { class: "connection-summary" }, ...(connections.length
      ? connections.map((connection) => h("li", {}, h("code", {}, connection.id),
        ` received ${connection.frames} frames (seq ${connection.first}–${connection.last})`))
      : [h("li", { class: "muted" }, "No frame of this run was sent to a connection.")])),
    h("p", { class: "muted small" }, "Rows without a dot are journal-only events (the user message, LLM calls, recovery decisions)."),
    table);
}

/** Redraws the run while it runs, on each of its frames (coalesced), until its terminal event. */
function follow(session) {
  let timer = null;
  const redraw = (soon) => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (!(await showRun())) socket.stop();
    }, soon ? 0 : 250);
  };
  const socket = new ConsoleSocket({
    token: session.token, userId: session.user_id,
    // What happened between the first drawing and this connection is read again.
    onConnected: () => redraw(true),
    onStatus: (state, text) => showStatus(statusElement, state, state === "open" ? "live" : text),
    onSignedOut: () => signOut(),
    onFrame: (frame) => {
      if (frame.run_id === runId) redraw(["run_completed", "run_failed", "run_cancelled"].includes(frame.type));
    },
  });
  socket.start();
}

main();
