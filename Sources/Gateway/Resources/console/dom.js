// Building DOM nodes without ever parsing HTML: every string becomes a text node or an attribute value.
// The page's Content-Security-Policy requires Trusted Types for HTML sinks, so `innerHTML = "..."` would throw
// anyway; this module is the one way the console creates elements.

/**
 * Creates an element. `attributes` values are set with setAttribute (booleans toggle the attribute; null and
 * undefined are skipped); `on` maps event names to listeners; children are nodes or strings (inserted as text).
 * An `href` must be a same-origin path (it starts with one "/"), so no string can become a `javascript:` link.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "on") {
      for (const [event, listener] of Object.entries(value)) element.addEventListener(event, listener);
    } else if (value === true) {
      element.setAttribute(name, "");
    } else if (value !== false && value !== null && value !== undefined) {
      if (name === "href" && !isLocalPath(String(value))) throw new TypeError(`not a local path: ${value}`);
      if (name.startsWith("on") || name === "style" || name === "src") throw new TypeError(`refused attribute ${name}`);
      element.setAttribute(name, String(value));
    }
  }
  append(element, ...children);
  return element;
}

/** Appends nodes and strings (as text) to `parent`; null, undefined and false are skipped. */
export function append(parent, ...children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Sets an element's text, replacing whatever it held (only when it changed, so observers see real changes). */
export function setText(element, text) {
  const value = text === null || text === undefined ? "" : String(text);
  if (element.textContent !== value) element.textContent = value;
}

/** Removes every child of `element`. */
export function clear(element) {
  element.replaceChildren();
}

/** The element with this id, or an error naming it (the pages' skeletons are static). */
export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element;
}

/** Whether `value` is a path on this origin ("/x", not "//host" or "javascript:"). */
export function isLocalPath(value) {
  return value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\");
}
