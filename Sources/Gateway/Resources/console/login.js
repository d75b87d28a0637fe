// The sign-up / log-in form both pages show when there is no session.

import { h, byId, clear, setText } from "./dom.js";
import { authenticate, currentSession, signOut, SIGNED_OUT } from "./session.js";

const MESSAGES = {
  USERNAME_TAKEN: "That user name is taken.",
  INVALID_CREDENTIALS: "Wrong user name or password.",
  INVALID_REQUEST: "Enter a user name and a password (at least 8 characters).",
};

/** The session, asking for one in `container` (emptied and hidden again afterwards) when there is none. */
export async function requireSession(container) {
  const existing = currentSession();
  if (existing) return existing;
  return new Promise((resolve) => {
    clear(container);
    container.hidden = false;
    const username = h("input", {
      id: "login-username", name: "username", autocomplete: "username", required: true, maxlength: 64,
      "data-testid": "login-username",
    });
    const password = h("input", {
      id: "login-password", name: "password", type: "password", autocomplete: "current-password", required: true,
      "data-testid": "login-password",
    });
    const status = h("p", { class: "form-error", role: "alert" });
    const login = h("button", { type: "submit", "data-testid": "login-submit" }, "Log in");
    const signup = h("button", { type: "button", class: "secondary", "data-testid": "signup-submit" }, "Sign up");
    const form = h("form", { class: "login-form", novalidate: true },
      h("h1", {}, "GoldenPath"),
      h("p", { class: "muted" }, "Sign in to chat with the agents and inspect their runs."),
      h("label", { for: "login-username" }, "User name"), username,
      h("label", { for: "login-password" }, "Password"), password,
      status,
      h("div", { class: "form-actions" }, login, signup));

    async function submit(kind) {
      if (!username.value.trim() || !password.value) {
        setText(status, MESSAGES.INVALID_REQUEST);
        return;
      }
      for (const button of [login, signup]) button.disabled = true;
      setText(status, kind === "signup" ? "Creating your account…" : "Logging in…");
      try {
        const session = await authenticate(kind, username.value.trim(), password.value);
        clear(container);
        container.hidden = true;
        resolve(session);
      } catch (error) {
        const text = error.code === "RATE_LIMITED"
          ? `Too many attempts; try again in ${error.retryAfter ?? 60} s.`
          : error.code === "INVALID_REQUEST" && error.message
            ? `${error.message[0].toUpperCase()}${error.message.slice(1)}.`
            : MESSAGES[error.code] ?? (error.status ? `The server answered ${error.status}.` : "The server cannot be reached.");
        setText(status, text);
      } finally {
        for (const button of [login, signup]) button.disabled = false;
      }
    }
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit("login");
    });
    signup.addEventListener("click", () => submit("signup"));
    container.append(form);
    username.focus();
  });
}

/**
 * The start of both pages: the session (asked for in #login when there is none), then the page's main element
 * shown, the user's name and the log-out button in the header. Signing out (or a refused token) reloads the page.
 */
export async function startPage(mainId) {
  window.addEventListener(SIGNED_OUT, () => location.reload());
  const session = await requireSession(byId("login"));
  byId(mainId).hidden = false;
  setText(byId("who"), session.username ?? "");
  const logout = byId("logout");
  logout.hidden = false;
  logout.addEventListener("click", () => signOut());
  return session;
}
