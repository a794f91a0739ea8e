// `preload`: starts the SDK host frame before the embed's wasm runs, so the host
// app downloads while the checkout page loads and starts the embed. Plain JS, so
// a page can call it before `init()` (any time before `ThreeDS.load` works; that
// early is the head start). The next `ThreeDS.load` for the same host page and
// locale takes the frame as its background frame; any other removes it, as does
// a rejected one. Bundled into threeds-web.js, which exports `preload`; unbundled
// (the browser tests), `import.meta.url` is this file's, so pass `hostUrl`.

// As frames.rs makes a host frame: what a bank's page may use (Secure Payment
// Confirmation, passkeys), and hidden as the background frame is.
const ALLOW = "payment; publickey-credentials-get; publickey-credentials-create";
const HIDDEN = "position:absolute;width:0;height:0;border:0;visibility:hidden";
const LOOPBACK = ["localhost", "127.0.0.1", "[::1]"];
// A started host frame sends one message (`ready`) before it has a command;
// more is not ours to keep.
const MAX_KEPT = 8;

/** The started frame, its host page and locale, and the messages it sent. */
let started = null;

function invalid(message) {
  const error = new Error(message);
  error.code = "invalid_argument";
  return error;
}

function stop(entry) {
  removeEventListener("message", entry.listen);
  if (started === entry) started = null;
}

/** The started frame, unless the page removed it meanwhile (then it is forgotten). */
function live() {
  if (started && !started.frame.isConnected) stop(started);
  return started;
}

/** The URL `ThreeDS.load` resolves for `hostUrl`, checked as it checks it. */
function hostPage(hostUrl) {
  let url;
  try {
    // Relative to the page when given, else beside this script.
    url = new URL(hostUrl ?? "host.html", hostUrl == null ? import.meta.url : document.baseURI);
  } catch {
    throw invalid("hostUrl must be an absolute http(s) URL");
  }
  if (url.protocol === "http:" && !LOOPBACK.includes(url.hostname)) {
    throw invalid("hostUrl must be an https URL (http only on localhost, 127.0.0.1 or [::1])");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw invalid("hostUrl must be an absolute http(s) URL");
  return url;
}

/**
 * Starts the host frame for `{ hostUrl, locale }` (the options `ThreeDS.load` will
 * get; both optional). Returns a function that removes the frame while no
 * `ThreeDS.load` has taken it. A second call with the same options keeps the
 * frame already started; with others, it replaces it.
 */
export function preload(options) {
  if (typeof document === "undefined") return () => {};
  if (options != null && typeof options !== "object") throw invalid("preload options must be an object");
  const { hostUrl, locale } = options ?? {};
  if (hostUrl != null && typeof hostUrl !== "string") throw invalid("hostUrl must be a string");
  if (locale != null && typeof locale !== "string") throw invalid("locale must be a string");
  const url = hostPage(hostUrl);
  const page = url.href;
  const language = locale ?? navigator.language ?? "";
  const current = live();
  if (current && current.hostUrl === page && current.locale === language) return current.cancel;
  if (!document.body) throw invalid("the page has no <body>");
  current?.cancel();

  url.searchParams.set("parent", location.origin);
  url.searchParams.set("locale", language);
  const frame = document.createElement("iframe");
  frame.setAttribute("allow", ALLOW);
  frame.src = url.href;
  frame.title = "3-D Secure";
  frame.setAttribute("aria-hidden", "true");
  frame.setAttribute("tabindex", "-1");
  frame.style.cssText = HIDDEN;
  const entry = { frame, hostUrl: page, locale: language, messages: [] };
  // Kept for the client that takes the frame: it checks them as if they had just come.
  entry.listen = (event) => {
    const window = frame.contentWindow;
    if (window && event.source === window && entry.messages.length < MAX_KEPT) entry.messages.push(event);
  };
  entry.cancel = () => {
    if (started !== entry) return;
    stop(entry);
    frame.remove();
  };
  document.body.append(frame);
  addEventListener("message", entry.listen);
  started = entry;
  return entry.cancel;
}

/** For `ThreeDS.load`: the started frame and what it sent, handed over once (else null). */
export function takePreloaded() {
  const entry = live();
  if (!entry) return null;
  stop(entry);
  return { frame: entry.frame, hostUrl: entry.hostUrl, locale: entry.locale, messages: entry.messages };
}
