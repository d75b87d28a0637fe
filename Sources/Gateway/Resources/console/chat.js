// The chat page (`/`): sign up or log in, the caller's threads, and a conversation whose runs stream in live.

import { h, append, byId, clear, setText } from "./dom.js";
import { api, signOut } from "./session.js";
import { startPage } from "./login.js";
import { ConsoleSocket, showStatus } from "./socket.js";
import { RunCard } from "./run-card.js";
import { excerpt, when } from "./format.js";

const ERRORS = {
  EMPTY_MESSAGE: "The message is empty.",
  MESSAGE_TOO_LARGE: "The message is too long (8 KiB at most).",
  RATE_LIMITED: "Too many messages; wait a minute.",
  TOO_MANY_RUNS: "Three runs are already running; wait for one to end.",
  THREAD_NOT_FOUND: "That conversation does not exist.",
  RUN_ALREADY_ENDED: "That run has already ended.",
  RUN_NOT_FOUND: "That run does not exist.",
  JOURNAL_UNAVAILABLE: "The server cannot record anything right now; try again shortly.",
};
/** Error codes that refuse a user message (the oldest message still waiting for its `message_received`). */
const MESSAGE_ERRORS = new Set([
  "EMPTY_MESSAGE", "MESSAGE_TOO_LARGE", "RATE_LIMITED", "TOO_MANY_RUNS", "THREAD_NOT_FOUND", "INVALID_FIELD",
  "JOURNAL_UNAVAILABLE",
]);

const page = {
  messages: byId("messages"), empty: byId("empty"), input: byId("message-input"), composer: byId("composer"),
  threads: byId("thread-list"), banner: byId("banner"), status: document.querySelector("[data-testid=connection-status]"),
};
const cards = new Map(); // run_id → RunCard, kept across thread switches so live runs keep folding
const pending = new Map(); // client_message_id → {bubble, frame}
let socket = null;
let currentThread = null;
let opening = 0; // bumps on every thread switch; a load that finds it changed drops its result

async function main() {
  const session = await startPage("chat");
  byId("new-thread").addEventListener("click", () => { location.hash = ""; });
  page.composer.addEventListener("submit", (event) => {
    event.preventDefault();
    sendMessage();
  });
  page.input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendMessage();
    }
  });
  socket = new ConsoleSocket({
    token: session.token, userId: session.user_id, onFrame: receive,
    onStatus: (state, text) => showStatus(page.status, state, text),
    onConnected: () => { for (const { frame } of pending.values()) socket.send(frame); },
    onSignedOut: () => signOut(),
  });
  socket.start();
  window.addEventListener("hashchange", route);
  setInterval(() => { for (const card of cards.values()) if (card.element.isConnected) card.tick(); }, 500);
  await Promise.all([refreshThreads(), route()]);
  page.input.focus();
}

/** `#thread=ID` opens that thread; no hash is a new conversation. */
async function route() {
  const match = /^#thread=(.+)$/.exec(location.hash);
  if (match) await openThread(decodeURIComponent(match[1]));
  else startConversation();
}

function startConversation() {
  opening += 1;
  currentThread = null;
  clear(page.messages);
  page.messages.append(page.empty);
  markCurrentThread();
  page.input.focus();
}

async function openThread(threadId) {
  const token = ++opening;
  currentThread = threadId;
  markCurrentThread();
  clear(page.messages);
  let body;
  try {
    body = await api(`/api/threads/${encodeURIComponent(threadId)}/messages`);
  } catch (error) {
    if (token !== opening) return;
    showBanner(error.status === 404 ? "That conversation does not exist." : "The conversation could not be loaded.");
    history.replaceState(null, "", location.pathname);
    startConversation();
    return;
  }
  if (token !== opening) return;
  const loads = [];
  for (const message of body.messages) {
    if (message.role !== "user") continue; // the assistant's message is the run's answer, shown by its card
    page.messages.append(userBubble(message.content, "sent"));
    if (!message.run_id) continue;
    const card = cardFor(message.run_id);
    page.messages.append(card.element);
    if (!card.historyLoaded) loads.push(card.loadHistory().catch(() => showBanner("A run could not be loaded.")));
  }
  // Messages sent in this thread that the server has not acknowledged yet stay on screen.
  for (const waiting of pending.values()) {
    if (waiting.frame.thread_id === threadId) page.messages.append(waiting.bubble);
  }
  await Promise.all(loads);
  if (token === opening) scrollToEnd(true);
}

function sendMessage() {
  const content = page.input.value;
  if (!content.trim()) return;
  const frame = { type: "user_message", content, client_message_id: crypto.randomUUID() };
  if (currentThread) frame.thread_id = currentThread;
  const bubble = userBubble(content, "sending");
  pending.set(frame.client_message_id, { bubble, frame });
  page.empty.remove();
  page.messages.append(bubble);
  page.input.value = "";
  // Sent now, or by onConnected when the connection is back (a repeated client_message_id starts no second run).
  socket.send(frame);
  scrollToEnd(true);
}

function receive(frame) {
  if (frame.type === "error") return refused(frame);
  if (frame.type === "message_received") return acknowledged(frame);
  if (!frame.run_id) return;
  let card = cards.get(frame.run_id);
  if (!card) {
    card = cardFor(frame.run_id);
    // A run this page did not start (another tab, or frames resumed after a reload): its earlier events are read.
    if (frame.thread_id === currentThread) page.messages.append(card.element);
    card.loadHistory().catch(() => {});
  }
  const nearEnd = isNearEnd();
  card.add(frame);
  if (card.ended) refreshThreads();
  scrollToEnd(nearEnd);
}

function acknowledged(frame) {
  const waiting = pending.get(frame.client_message_id);
  const card = cardFor(frame.run_id);
  card.add(frame);
  if (waiting) {
    pending.delete(frame.client_message_id);
    waiting.bubble.dataset.state = "sent";
    waiting.bubble.after(card.element);
    if (!waiting.frame.thread_id && currentThread === null) {
      currentThread = frame.thread_id;
      history.replaceState(null, "", `#thread=${encodeURIComponent(frame.thread_id)}`);
    }
  } else if (frame.thread_id === currentThread && !card.element.isConnected) {
    page.messages.append(card.element);
    card.loadHistory().catch(() => {});
  }
  refreshThreads();
}

function refused(frame) {
  showBanner(ERRORS[frame.code] ?? frame.message ?? frame.code);
  if (!MESSAGE_ERRORS.has(frame.code)) return;
  const [id, waiting] = pending.entries().next().value ?? [];
  if (!waiting) return;
  pending.delete(id);
  waiting.bubble.dataset.state = "refused";
  append(waiting.bubble, h("div", { class: "refusal" }, `not sent: ${ERRORS[frame.code] ?? frame.message ?? frame.code}`));
  if (!page.input.value) page.input.value = waiting.frame.content;
}

function cardFor(runId) {
  let card = cards.get(runId);
  if (!card) {
    card = new RunCard(runId, { onStop: (id) => socket.send({ type: "stop_agent", run_id: id }) });
    cards.set(runId, card);
  }
  return card;
}

function userBubble(content, state) {
  return h("div", { class: "user-message", "data-state": state }, h("div", { class: "bubble" }, content));
}

let refreshing = null;
/** Reloads the thread list (coalesced: one request at a time, one more if asked meanwhile). */
function refreshThreads() {
  if (refreshing) {
    refreshing.again = true;
    return refreshing.promise;
  }
  refreshing = { again: false };
  refreshing.promise = (async () => {
    try {
      do {
        refreshing.again = false;
        const body = await api("/api/threads");
        showThreads(body.threads);
      } while (refreshing.again);
    } catch {
      // The list stays as it was; the next run's end asks again.
    } finally {
      refreshing = null;
    }
  })();
  return refreshing.promise;
}

function showThreads(threads) {
  clear(page.threads);
  for (const thread of threads) {
    const link = h("a", { href: `/#thread=${encodeURIComponent(thread.thread_id)}`, class: "thread-link" },
      h("span", { class: "thread-title" }, excerpt(thread.title || "Untitled", 60)),
      h("span", { class: "muted small" }, `${thread.message_count} messages · ${when(thread.updated_at)}`));
    page.threads.append(h("li", { "data-thread-id": thread.thread_id }, link));
  }
  markCurrentThread();
}

function markCurrentThread() {
  for (const item of page.threads.children) {
    item.classList.toggle("current", item.dataset.threadId === currentThread);
  }
}

let bannerTimer = null;
function showBanner(text) {
  setText(page.banner, text);
  page.banner.hidden = false;
  clearTimeout(bannerTimer);
  bannerTimer = setTimeout(() => { page.banner.hidden = true; }, 8000);
}

function isNearEnd() {
  const scroller = page.messages;
  return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 120;
}

function scrollToEnd(wanted) {
  if (wanted) page.messages.scrollTop = page.messages.scrollHeight;
}

main();
