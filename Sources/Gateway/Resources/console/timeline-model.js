// The run page's model: /api/runs/{id}/events folded into lanes (one per agent) of bars on a time axis — the
// agent's own span, its tool calls and its LLM calls — plus the run's own marks. A pure function of the events.

import { epochMs } from "./format.js";

const TERMINAL = new Set(["run_completed", "run_failed", "run_cancelled"]);

/**
 * { total, lanes: [{name, segments, tools, llms, marks, status, durationMs, failed, deltas}], run: {marks, end} }
 * Offsets are milliseconds since the run's first event. A bar still open when the events end reaches the last
 * event and is marked `open`.
 */
export function buildTimeline(events) {
  const origin = events.length ? epochMs(events[0].recorded_at) : 0;
  const offset = (event) => Math.max(0, epochMs(event.recorded_at) - origin);
  const lanes = new Map();
  const run = { marks: [], end: null, status: "running" };
  const openTools = new Map();
  const openCalls = new Map();
  const lane = (name) => {
    let found = lanes.get(name);
    if (!found) {
      found = { name, segments: [], tools: [], llms: [], marks: [], status: "running", durationMs: null, failed: false, deltas: 0 };
      lanes.set(name, found);
    }
    return found;
  };
  for (const event of events) {
    const payload = event.payload ?? {};
    const at = offset(event);
    const agent = payload.agent_name;
    switch (event.type) {
      case "agent_started":
        lane(agent).segments.push({ start: at, end: null, events: [event] });
        break;
      case "agent_completed": {
        const target = lane(agent);
        const segment = target.segments.at(-1) ?? { start: at, events: [] };
        if (!target.segments.includes(segment)) target.segments.push(segment);
        segment.end = at;
        segment.events.push(event);
        segment.status = payload.status;
        segment.durationMs = payload.duration_ms;
        target.status = payload.status;
        target.durationMs = (target.durationMs ?? 0) + (payload.duration_ms ?? at - segment.start);
        if (payload.status !== "completed") target.failed = true;
        break;
      }
      case "agent_thinking":
        lane(agent).marks.push({ at, kind: "thinking", label: `step ${payload.step_number ?? ""}`, events: [event] });
        break;
      case "agent_error":
        lane(agent).marks.push({ at, kind: "error", label: payload.error_code ?? "error", failed: true, events: [event] });
        lane(agent).failed = true;
        break;
      case "agent_response_delta":
        lane(agent).deltas += 1;
        break;
      case "agent_response_reset":
        lane(agent).marks.push({ at, kind: "reset", label: `reset: ${payload.reason ?? ""}`, events: [event] });
        break;
      case "tool_executing": {
        const bar = { kind: "tool", name: payload.tool_name, start: at, end: null, events: [event] };
        lane(agent).tools.push(bar);
        openTools.set(payload.execution_id, bar);
        break;
      }
      case "tool_completed": {
        const bar = openTools.get(payload.execution_id);
        if (!bar) break;
        openTools.delete(payload.execution_id);
        bar.end = at;
        bar.status = payload.status;
        bar.durationMs = payload.duration_ms;
        bar.failed = payload.status !== "success";
        bar.events.push(event);
        break;
      }
      case "llm_request": {
        const bar = { kind: "llm", name: payload.purpose ?? "llm", start: at, end: null, events: [event] };
        lane(agent).llms.push(bar);
        const stack = openCalls.get(agent) ?? [];
        stack.push(bar);
        openCalls.set(agent, stack);
        break;
      }
      case "llm_response":
      case "llm_failed": {
        const bar = openCalls.get(agent)?.pop();
        if (!bar) break;
        bar.end = at;
        bar.failed = event.type === "llm_failed";
        bar.status = bar.failed ? (payload.error_code ?? "failed") : payload.model;
        bar.durationMs = payload.latency_ms ?? at - bar.start;
        bar.events.push(event);
        break;
      }
      default:
        if (TERMINAL.has(event.type)) {
          run.end = at;
          run.status = event.type.replace("run_", "");
          run.marks.push({ at, kind: run.status, label: run.status, failed: event.type !== "run_completed", events: [event] });
        } else if (event.type === "run_recovery") {
          run.marks.push({ at, kind: "recovery", label: `recovery: ${payload.decision ?? ""}`, events: [event] });
        } else if (event.type === "user_message" || event.type === "message_received") {
          run.marks.push({ at, kind: "message", label: event.type.replace("_", " "), events: [event] });
        }
    }
  }
  const last = events.length ? offset(events.at(-1)) : 0;
  for (const target of lanes.values()) {
    for (const bar of [...target.segments, ...target.tools, ...target.llms]) {
      if (bar.end === null) {
        bar.end = last;
        bar.open = true;
      }
    }
  }
  return { total: Math.max(last, 1), lanes: [...lanes.values()], run };
}

/** Tick positions for an axis of `total` ms: a 1-2-5 step giving at most about eight ticks. */
export function axisTicks(total) {
  let step = 1;
  while (total / step > 8) {
    const digits = String(step)[0];
    step = digits === "1" ? step * 2 : digits === "2" ? step * 2.5 : step * 2;
  }
  const ticks = [];
  for (let at = 0; at <= total; at += step) ticks.push(at);
  return ticks;
}

/** The connections that received the run's frames, in order of their first frame, with counts and seq ranges. */
export function connectionsOf(events) {
  const connections = new Map();
  for (const event of events) {
    for (const delivery of event.deliveries ?? []) {
      let entry = connections.get(delivery.connection_id);
      if (!entry) {
        entry = { id: delivery.connection_id, frames: 0, first: event.seq, last: event.seq };
        connections.set(delivery.connection_id, entry);
      }
      entry.frames += 1;
      entry.last = event.seq;
    }
  }
  return [...connections.values()];
}
