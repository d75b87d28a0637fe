// The signed-in user: the token from /auth/signup or /auth/login, kept in localStorage (never in a URL), and
// fetch helpers that send it as `Authorization: Bearer`. A 401 from the API signs the page out.

const KEY = "goldenpath.session";
/** Fired on `window` when the session ends (logged out, expired, or refused by the server). */
export const SIGNED_OUT = "goldenpath:signed-out";

/** An HTTP error answer: its status, the protocol code and message, and Retry-After in seconds. */
export class HTTPFailure extends Error {
  constructor(status, code, message, retryAfter) {
    super(message || `HTTP ${status}`);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

/** The stored session {token, user_id, username, expires_at} if it has a minute or more left, else null. */
export function currentSession() {
  let session;
  try {
    session = JSON.parse(localStorage.getItem(KEY) ?? "null");
  } catch {
    session = null;
  }
  if (!session || typeof session.token !== "string") return null;
  if (Date.parse(session.expires_at) - Date.now() < 60_000) {
    localStorage.removeItem(KEY);
    return null;
  }
  return session;
}

/** Forgets the session and tells the page. */
export function signOut() {
  localStorage.removeItem(KEY);
  window.dispatchEvent(new Event(SIGNED_OUT));
}

/**
 * Signs up or logs in (`kind` is "signup" or "login") and stores the session.
 * Throws an HTTPFailure with the server's code: USERNAME_TAKEN, INVALID_CREDENTIALS, RATE_LIMITED, ….
 */
export async function authenticate(kind, username, password) {
  const response = await fetch(`/auth/${kind}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password }),
    credentials: "omit",
  });
  const body = await readBody(response);
  if (!response.ok) throw failure(response, body);
  const session = { token: body.token, user_id: body.user_id, expires_at: body.expires_at, username };
  localStorage.setItem(KEY, JSON.stringify(session));
  return session;
}

/**
 * GET an /api path with the session's token and return its JSON. Throws HTTPFailure (404 for another user's
 * thread or run, exactly as for an unknown one); a 401 also signs the page out.
 */
export async function api(path) {
  const session = currentSession();
  if (!session) {
    signOut();
    throw new HTTPFailure(401, "AUTH_FAILED", "not signed in");
  }
  const response = await fetch(path, {
    headers: { Authorization: `Bearer ${session.token}`, Accept: "application/json" },
    credentials: "omit",
    cache: "no-store",
  });
  const body = await readBody(response);
  if (response.status === 401) signOut();
  if (!response.ok) throw failure(response, body);
  return body;
}

async function readBody(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

function failure(response, body) {
  const error = body?.error ?? {};
  const retryAfter = Number(response.headers.get("Retry-After")) || undefined;
  return new HTTPFailure(response.status, error.code, error.message, retryAfter);
}
