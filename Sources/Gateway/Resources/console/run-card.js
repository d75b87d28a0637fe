// One run in the chat pane: a block per agent (its thinking, tool calls with parameters and results, status and
// duration), the answer as it streams, and the run's outcome. It folds the run's journal-event frames in `seq`
// order, each once; the same fold shows a run live (from /ws) and reopened (from /api/runs/{id}/events).

import { h, setText, clear } from "./dom.js";
import { api } from "./session.js";
import { duration, epochMs, excerpt, json } from "./format.js";

/** The event types that are frames of a run (SPEC §4); the chat pane ignores the journal's other events. */
export const RUN_FRAME_TYPES = new Set([
  "message_received", "agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed",
  "agent_error", "agent_response_delta", "agent_response_reset", "run_completed", "run_failed", "run_cancelled",
]);
const TERMINAL = new Set(["run_completed", "run_failed", "run_cancelled"]);

/** An event of /api/runs/{id}/events as the frame it was sent as: the payload flattened into the envelope. */
export function frameOf(event) {
  return {
    ...event.payload, type: event.type, seq: event.seq, timestamp: event.recorded_at, run_id: event.run_id,
    thread_id: event.thread_id, user_id: event.user_id,
  };
}

export class RunCard {
  /** `onStop(runId)` sends the stop; it returns whether the request went out. */
  constructor(runId, { onStop }) {
    this.runId = runId;
    this.onStop = onStop;
    this.frames = [];
    this.element = h("article", { class: "run", "data-run-id": runId, "data-status": "running" });
    this.historyLoaded = false;
    this.reset();
  }

  /** Whether the run has its terminal event. */
  get ended() {
    return this.terminal !== null;
  }

  /** Adds a frame of this run; a seq already held is ignored, one older than the newest redraws the run. */
  add(frame) {
    if (!RUN_FRAME_TYPES.has(frame.type) || typeof frame.seq !== "number") return;
    if (this.frames.some((held) => held.seq === frame.seq)) return;
    const newest = this.frames.at(-1);
    this.frames.push(frame);
    if (newest && frame.seq < newest.seq) {
      this.frames.sort((a, b) => a.seq - b.seq);
      this.reset();
      for (const held of this.frames) this.apply(held);
    } else {
      this.apply(frame);
    }
  }

  /** Reads the run's events from the API and adds the ones not held yet (a reopened thread, a late join). */
  async loadHistory() {
    const body = await api(`/api/runs/${encodeURIComponent(this.runId)}/events`);
    for (const event of body.events) {
      if (RUN_FRAME_TYPES.has(event.type)) this.add(frameOf(event));
    }
    this.historyLoaded = true;
  }

  /** Updates the running time shown in the header. */
  tick() {
    if (this.ended || this.firstSeenAt === null) return;
    setText(this.durationLabel, `running · ${duration(Date.now() - this.firstSeenAt)}`);
  }

  reset() {
    this.agents = [];
    this.responses = new Map();
    this.terminal = null;
    this.firstTimestamp = null;
    this.firstSeenAt = null;
    this.statusLabel = h("span", { class: "badge", "data-testid": "run-status" }, "running");
    this.durationLabel = h("span", { class: "muted run-duration" });
    this.stopButton = h("button", {
      type: "button", class: "stop", "data-testid": "stop-run", on: { click: () => this.stop() },
    }, "Stop");
    this.agentList = h("div", { class: "agents" });
    this.answer = null;
    this.outcome = h("div", { class: "outcome" });
    clear(this.element);
    this.element.dataset.status = "running";
    this.element.append(
      h("header", { class: "run-head" },
        this.statusLabel, this.durationLabel,
        h("a", { class: "run-link", href: `/runs/${encodeURIComponent(this.runId)}`, "data-testid": "run-link" },
          "timeline →"),
        this.stopButton),
      this.agentList, this.outcome);
  }

  stop() {
    if (this.ended) return;
    this.stopButton.disabled = true;
    setText(this.stopButton, this.onStop(this.runId) ? "Stopping…" : "Offline");
    if (this.stopButton.textContent === "Offline") this.stopButton.disabled = false;
  }

  apply(frame) {
    if (this.firstTimestamp === null) {
      this.firstTimestamp = epochMs(frame.timestamp);
      this.firstSeenAt = Date.now();
    }
    switch (frame.type) {
      case "message_received":
        break;
      case "agent_started":
        this.startAgent(frame);
        break;
      case "agent_thinking":
        this.agent(frame).steps.append(row(frame, "thinking",
          h("span", { class: "label" }, `step ${frame.step_number ?? ""}`), h("span", { class: "text" }, frame.reasoning)));
        break;
      case "tool_executing":
        this.toolStarted(frame);
        break;
      case "tool_completed":
        this.toolCompleted(frame);
        break;
      case "agent_error":
        this.agent(frame).steps.append(row(frame, "error",
          h("span", { class: "label" }, frame.error_code ?? "error"), h("span", { class: "text" }, frame.message)));
        break;
      case "agent_completed":
        this.completeAgent(frame);
        break;
      case "agent_response_delta":
        this.delta(frame);
        break;
      case "agent_response_reset":
        this.response(frame.response_id, frame.agent_name).reset = true;
        this.showStreaming();
        break;
      default:
        if (TERMINAL.has(frame.type)) this.finish(frame);
    }
  }

  startAgent(frame) {
    const summary = {
      status: h("span", { class: "badge small" }, "running"),
      duration: h("span", { class: "muted" }),
      gist: h("span", { class: "agent-gist muted" }),
    };
    const steps = h("ol", { class: "steps" });
    const element = h("details", { class: "agent", open: true, "data-agent": frame.agent_name, "data-status": "running" },
      h("summary", {}, h("span", { class: "agent-name" }, frame.agent_name), summary.status, summary.duration,
        summary.gist),
      steps);
    // Once someone opens or closes a block, it stays as they left it.
    element.querySelector("summary").addEventListener("click", () => { block.touched = true; });
    const block = { name: frame.agent_name, element, steps, summary, tools: new Map(), done: false, touched: false };
    steps.append(row(frame, "started", h("span", { class: "label" }, "started"),
      h("span", { class: "text" }, frame.task_description ?? "")));
    this.agents.push(block);
    this.agentList.append(element);
    return block;
  }

  /** The open block of the frame's agent (a block is made for an agent whose start was not seen). */
  agent(frame) {
    const name = frame.agent_name ?? "run";
    const blocks = this.agents.filter((block) => block.name === name);
    return blocks.find((block) => !block.done) ?? blocks.at(-1)
      ?? this.startAgent({ agent_name: name, seq: null, type: "agent_started", task_description: "" });
  }

  toolStarted(frame) {
    const block = this.agent(frame);
    const status = h("span", { class: "badge small" }, "running");
    const took = h("span", { class: "muted" });
    const element = h("li", { class: "tool", "data-tool": frame.tool_name, "data-status": "running" },
      h("div", { class: "tool-head" }, h("span", { class: "tool-name" }, frame.tool_name), status, took),
      row(frame, "tool-call", h("span", { class: "label" }, "parameters"), h("pre", {}, json(frame.parameters)), "div"));
    block.tools.set(frame.execution_id, { element, status, took });
    block.steps.append(element);
  }

  toolCompleted(frame) {
    const block = this.agent(frame);
    let tool = block.tools.get(frame.execution_id);
    if (!tool) {
      this.toolStarted({ ...frame, type: "tool_executing", seq: null, parameters: undefined });
      tool = block.tools.get(frame.execution_id);
    }
    tool.element.dataset.status = frame.status;
    setText(tool.status, frame.status);
    tool.status.dataset.status = frame.status;
    setText(tool.took, duration(frame.duration_ms));
    tool.element.append(row(frame, "tool-result", h("span", { class: "label" }, "results"),
      h("pre", {}, json(frame.results)), "div"));
  }

  completeAgent(frame) {
    const block = this.agent(frame);
    block.done = true;
    block.element.dataset.status = frame.status;
    setText(block.summary.status, frame.status);
    block.summary.status.dataset.status = frame.status;
    setText(block.summary.duration, duration(frame.duration_ms));
    setText(block.summary.gist, excerpt(frame.final_response ?? "", 140));
    block.steps.append(row(frame, "completed", h("span", { class: "label" }, frame.status),
      h("span", { class: "text" }, frame.final_response ?? "")));
    if (!block.touched && frame.status === "completed") block.element.open = false;
  }

  response(responseId, agentName) {
    let response = this.responses.get(responseId);
    if (!response) {
      response = { agent: agentName, chunks: [], reset: false };
      this.responses.set(responseId, response);
    }
    return response;
  }

  delta(frame) {
    const response = this.response(frame.response_id, frame.agent_name);
    response.chunks[frame.chunk_index ?? response.chunks.length] = frame.delta ?? "";
    this.showStreaming();
  }

  /** The streaming answer: the text of the last response not reset, in chunk order up to the first gap. */
  showStreaming() {
    if (this.ended) return;
    const live = [...this.responses.values()].filter((response) => !response.reset).at(-1);
    if (!live) {
      this.answer?.element.remove();
      this.answer = null;
      return;
    }
    let text = "";
    for (let index = 0; index < live.chunks.length && live.chunks[index] !== undefined; index += 1) {
      text += live.chunks[index];
    }
    this.setAnswer(text, "streaming", live.agent);
  }

  setAnswer(text, state, agentName) {
    if (!this.answer) {
      this.answer = {
        element: h("section", { class: "answer", "data-testid": "answer", "data-state": state }),
        label: h("div", { class: "answer-label muted" }),
        body: h("div", { class: "answer-text" }),
      };
      this.answer.element.append(this.answer.label, this.answer.body);
      this.outcome.before(this.answer.element);
    }
    this.answer.element.dataset.state = state;
    setText(this.answer.label, state === "streaming" ? `${agentName ?? "the model"} is writing…` : "answer");
    setText(this.answer.body, text);
  }

  finish(frame) {
    this.terminal = frame;
    const status = frame.type.replace("run_", "");
    this.element.dataset.status = status;
    setText(this.statusLabel, frame.degraded ? `${status} · degraded` : status);
    this.statusLabel.dataset.status = status;
    const took = epochMs(frame.timestamp) - this.firstTimestamp;
    setText(this.durationLabel, Number.isNaN(took) ? "" : duration(took));
    this.stopButton.remove();
    if (frame.type === "run_completed") {
      this.setAnswer(frame.final_response ?? "", "final");
    } else {
      this.answer?.element.remove();
      this.answer = null;
    }
    const text = frame.type === "run_completed"
      ? (frame.degraded ? "completed, but some steps failed: the answer says what is missing" : "completed")
      : `${status}${frame.error_code ? ` · ${frame.error_code}` : ""}${frame.message ? ` — ${frame.message}` : ""}`;
    this.outcome.append(row(frame, status, h("span", { class: "label" }, "run"), h("span", { class: "text" }, text), "div"));
  }
}

/** One event on screen: `data-testid="event"`, its seq, type and agent. */
function row(frame, kind, ...children) {
  const tag = typeof children.at(-1) === "string" ? children.pop() : "li";
  return h(tag, {
    class: `event ${kind}`, "data-testid": frame.seq === null ? null : "event", "data-seq": frame.seq,
    "data-type": frame.type, "data-agent": frame.agent_name,
  }, ...children);
}
