// `preload`: starts the SDK host frame before the embed's wasm has loaded, so the
// host app downloads while the checkout page loads the embed. The next
// `ThreeDS.load` for the same host page and locale takes the frame as its
// background frame; any other `ThreeDS.load` removes it. Plain JS: it must run
// before `init()`. Bundled into threeds-web.js, which exports `preload`.

// What frames.rs gives every host frame: Secure Payment Confirmation and passkeys.
const ALLOW = "payment; publickey-credentials-get; publickey-credentials-create";
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

/**
 * Starts the host frame for `{ hostUrl, locale }` (the options `ThreeDS.load` will
 * get; both optional). Returns a function that removes the frame if no
 * `ThreeDS.load` has taken it. A second call for the same page and locale keeps
 * the frame already started; for another, it replaces it.
 */
export function preload(options) {
  if (typeof document === "undefined") return () => {};
  const { hostUrl, locale } = options ?? {};
  if (hostUrl != null && typeof hostUrl !== "string") throw invalid("hostUrl must be a string");
  if (locale != null && typeof locale !== "string") throw invalid("locale must be a string");
  let url;
  try {
    // As `ThreeDS.load` resolves it: relative to the page, else beside this script.
    url = new URL(hostUrl ?? "host.html", hostUrl == null ? import.meta.url : document.baseURI);
  } catch {
    throw invalid("hostUrl is not a URL");
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.includes(url.hostname))) {
    throw invalid("hostUrl must be an https URL (http only on localhost, 127.0.0.1 or [::1])");
  }
  const page = url.href;
  const language = locale ?? navigator.language ?? "";
  if (started && started.hostUrl === page && started.locale === language) return started.cancel;
  started?.cancel();

  url.searchParams.set("parent", location.origin);
  url.searchParams.set("locale", language);
  const frame = document.createElement("iframe");
  frame.setAttribute("allow", ALLOW);
  frame.src = url.href;
  frame.title = "3-D Secure";
  // Hidden as frames.rs hides the background frame: out of sight, tab order and assistive tech.
  frame.setAttribute("aria-hidden", "true");
  frame.setAttribute("tabindex", "-1");
  frame.style.cssText = "position:absolute;width:0;height:0;border:0;visibility:hidden";
  const entry = { frame, hostUrl: page, locale: language, messages: [] };
  // Kept for the client that takes the frame: it checks them as if they had just come.
  entry.listen = (event) => {
    if (event.source === frame.contentWindow && entry.messages.length < MAX_KEPT) entry.messages.push(event);
  };
  entry.cancel = () => {
    if (started !== entry) return;
    stop(entry);
    frame.remove();
  };
  addEventListener("message", entry.listen);
  (document.body ?? document.documentElement).append(frame);
  started = entry;
  return entry.cancel;
}

/** For `ThreeDS.load`: the started frame and what it sent, handed over once (else null). */
export function takePreloaded() {
  const entry = started;
  if (!entry) return null;
  stop(entry);
  return { frame: entry.frame, hostUrl: entry.hostUrl, locale: entry.locale, messages: entry.messages };
}
