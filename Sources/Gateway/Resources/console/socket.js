// The one WebSocket of a page: authenticated with the `jwt.<token>` subprotocol (the token never goes into the
// URL), reconnecting by itself with backoff, and resuming with `resume {after_seq}` so that no journal-event frame
// is missed or handed on twice. A frame with a `seq` is passed on once, whatever the server re-sends.

import { setText } from "./dom.js";

const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 5000];
const PING_EVERY_MS = 20_000;
const PONG_WITHIN_MS = 10_000;
const LAST_SEQ_KEY = "goldenpath.last_seq.";

/**
 * new ConsoleSocket({token, userId, onFrame, onStatus, onConnected, onSignedOut}).start()
 * - onFrame(frame): every frame, journal-event frames (with `seq`) exactly once and in order.
 * - onConnected(): each time a connection is authenticated (after its `resume` went out): send what must arrive.
 * - onStatus(state, text): "connecting" | "open" | "resuming" | "reconnecting" | "closed", and a sentence.
 * - onSignedOut(code): the server refused the token (AUTH_FAILED, AUTH_EXPIRED).
 */
export class ConsoleSocket {
  constructor({ token, userId, onFrame, onStatus, onConnected, onSignedOut }) {
    this.token = token;
    this.seqKey = LAST_SEQ_KEY + userId;
    this.onFrame = onFrame;
    this.onStatus = onStatus ?? (() => {});
    this.onConnected = onConnected ?? (() => {});
    this.onSignedOut = onSignedOut ?? (() => {});
    // The highest seq passed on. Kept per tab, so a reload resumes from where the page was.
    const stored = Number(sessionStorage.getItem(this.seqKey));
    this.lastSeq = Number.isFinite(stored) && stored > 0 ? stored : null;
    this.seen = new Set();
    this.attempt = 0;
    this.socket = null;
    this.stopped = false;
    this.timers = { retry: null, ping: null, pong: null };
  }

  /** Opens the connection (and keeps it open until stop()). */
  start() {
    this.stopped = false;
    window.addEventListener("online", () => this.retryNow());
    this.connect();
  }

  /** Closes the connection for good. */
  stop() {
    this.stopped = true;
    this.clearTimers();
    this.socket?.close(1000, "page done");
    this.status("closed", "live updates ended");
  }

  /** Whether frames can be sent now. */
  get isOpen() {
    return this.socket?.readyState === WebSocket.OPEN && this.established;
  }

  /** Sends a frame now if the connection is up; returns whether it was sent. */
  send(frame) {
    if (!this.isOpen) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  connect() {
    if (this.stopped) return;
    this.clearTimers();
    this.established = false;
    this.status("connecting", this.attempt === 0 ? "connecting…" : "reconnecting…");
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(`${scheme}//${location.host}/ws`, [`jwt.${this.token}`]);
    this.socket = socket;
    socket.addEventListener("message", (message) => this.receive(socket, message));
    socket.addEventListener("close", (event) => this.closed(socket, event));
  }

  receive(socket, message) {
    if (socket !== this.socket) return;
    let frame;
    try {
      frame = JSON.parse(message.data);
    } catch {
      return;
    }
    if (!frame || typeof frame !== "object") return;
    this.watchdog();
    switch (frame.type) {
      case "connection_established":
        this.established = true;
        this.attempt = 0;
        if (this.lastSeq === null) {
          // A fresh page: what happened before is read from /api; live frames start after the head.
          this.remember(frame.head_seq ?? 0);
          this.status("open", "connected");
        } else {
          this.status("resuming", "catching up…");
          socket.send(JSON.stringify({ type: "resume", after_seq: this.lastSeq }));
        }
        this.onConnected();
        break;
      case "resume_completed":
        this.status("open", "connected");
        break;
      case "error":
        if (frame.code === "AUTH_FAILED" || frame.code === "AUTH_EXPIRED") {
          this.stopped = true;
          this.onSignedOut(frame.code);
        } else if (frame.code === "JOURNAL_UNAVAILABLE" && this.state === "resuming") {
          // The journal could not record the re-sent frames yet; asking again is safe.
          this.timers.retry = setTimeout(() => this.send({ type: "resume", after_seq: this.lastSeq }), 1000);
        }
        break;
      default:
        break;
    }
    if (typeof frame.seq === "number") {
      if (this.seen.has(frame.seq)) return;
      this.seen.add(frame.seq);
      if (frame.seq > (this.lastSeq ?? 0)) this.remember(frame.seq);
    }
    if (frame.type !== "pong") this.onFrame(frame);
  }

  remember(seq) {
    this.lastSeq = seq;
    sessionStorage.setItem(this.seqKey, String(seq));
  }

  closed(socket, event) {
    if (socket !== this.socket) return;
    this.clearTimers();
    this.socket = null;
    this.established = false;
    if (this.stopped) {
      this.status("closed", "disconnected");
      return;
    }
    // 1013: too many connections or fell behind — try again later; anything else: soon.
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    const delay = Math.round((event.code === 1013 ? Math.max(base, 2000) : base) * (0.8 + Math.random() * 0.4));
    this.attempt += 1;
    this.status("reconnecting", `offline — reconnecting in ${Math.max(1, Math.round(delay / 1000))} s`);
    this.timers.retry = setTimeout(() => this.connect(), delay);
  }

  retryNow() {
    if (this.stopped || this.socket) return;
    this.connect();
  }

  /** Pings after a quiet spell; a connection that does not answer is closed and reconnected. */
  watchdog() {
    clearTimeout(this.timers.ping);
    clearTimeout(this.timers.pong);
    this.timers.ping = setTimeout(() => {
      if (!this.send({ type: "ping" })) return;
      this.timers.pong = setTimeout(() => this.socket?.close(4000, "no pong"), PONG_WITHIN_MS);
    }, PING_EVERY_MS);
  }

  clearTimers() {
    for (const timer of Object.values(this.timers)) clearTimeout(timer);
  }

  status(state, text) {
    this.state = state;
    this.onStatus(state, text);
  }
}

/** Shows a socket's state in the page's connection indicator. */
export function showStatus(element, state, text) {
  element.dataset.state = state;
  setText(element, text);
}
