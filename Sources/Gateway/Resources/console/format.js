// Small formatting helpers shared by the chat and run pages. They return strings; callers insert them as text.

/** "850 ms", "3.4 s", "2 min 5 s". */
export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return "";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Milliseconds since the epoch of an ISO 8601 timestamp; NaN when absent. */
export function epochMs(timestamp) {
  return timestamp ? Date.parse(timestamp) : Number.NaN;
}

/** A local date and time for people ("12 Mar, 14:05:09"). */
export function when(timestamp) {
  const ms = epochMs(timestamp);
  if (Number.isNaN(ms)) return "";
  return new Date(ms).toLocaleString(undefined, {
    day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", second: "2-digit",
  });
}

/** JSON for people: indented; strings shown as they are. */
export function json(value) {
  if (value === undefined) return "";
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}

/** One line of at most `limit` characters. */
export function excerpt(text, limit = 120) {
  const line = String(text ?? "").replace(/\s+/g, " ").trim();
  return line.length > limit ? `${line.slice(0, limit - 1)}…` : line;
}

/** The last part of an id, enough to tell ids apart on screen. */
export function shortId(id) {
  const text = String(id ?? "");
  return text.length > 10 ? `…${text.slice(-8)}` : text;
}
