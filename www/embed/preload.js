// `preload`: starts the SDK host frame at once, so the host app downloads while
// the checkout page goes on loading (any time before `ThreeDS.load` works; the
// page's first lines are the head start). The next `ThreeDS.load` for the same
// host page and locale takes the frame as its background frame; any other
// removes it, as does a rejected one.
//
// Earlier still, the page can declare the frame in its HTML
// (`<iframe data-threeds-host hidden src="…/host.html?parent=…&locale=…" allow="…">`):
// it starts as the HTML is parsed, one script download sooner. `preload` (or
// `ThreeDS.load`) takes it as if it had started it and, once its page has loaded,
// asks it to say ready again (`hello`), unless it was heard to.
//
// The host app's wasm comes from here too (`sendApp`): every host frame the
// client makes says `app=parent` in its address, and asks for the app
// (`app-wanted`) instead of fetching it, a round trip after its own page. This
// page fetches it as soon as it makes or takes the frame (or as its HTML is
// parsed, where it declares a `<link rel="preload">` of it), and posts the bytes;
// the host frame runs them only if they are its release's, byte for byte
// (host-boot.js).

import { hide, hostFrame } from "./frames.js";
import { ALLOW, PROTOCOL, VERSION, helloCommand, invalid, urlProblem } from "./rules.js";

// A started host frame sends one message (`ready`) before it has a command;
// more is not ours to keep.
const MAX_KEPT = 8;

/** The started frame, its host page and locale, and the messages it sent. */
let started = null;

/** The host app's wasm beside each host page: a fetch per page and release, shared by its frames. */
const apps = new Map();

function stop(entry) {
  removeEventListener("message", entry.listen);
  if (started === entry) started = null;
}

/** The started frame, unless the page removed it meanwhile (then it is forgotten). */
function live() {
  if (started && !started.frame.isConnected) stop(started);
  return started;
}

/**
 * Whether the host frame `frame` sent `event`. Its window is read only for a
 * message of the host's `origin`: reading the window of a frame that has not
 * shown its page yet costs the browser a script context for the empty document
 * it starts with (about 40 ms on a slow phone, on the page's main thread, where
 * it delays that very page).
 */
function fromHost(event, frame, origin) {
  return event.origin === origin && event.source === frame.contentWindow;
}

/**
 * Asks a declared frame to say ready again (`hello`) once its page has loaded: at
 * once if it may have (the page has loaded, which waits for its frames, or the
 * page's resource timings list a load of the frame's page), else at its load, or
 * the page's, unless it said anything by then. Its app says ready when it starts;
 * the hello is for a page that started before anyone listened. A `fed` frame
 * (`app=parent`) gets its app then too.
 */
function helloWhenLoaded(frame, origin, fed) {
  let heard = false;
  const hello = () => {
    const window = frame.contentWindow;
    if (!window) return;
    // Its `app-wanted` may have gone before this page listened: the app comes unasked.
    if (fed) sendApp(window, frame.src);
    window.postMessage(helloCommand(), origin);
  };
  // Anything it said was heard by its entry (`track`), which answers its `app-wanted`.
  const listen = (event) => (heard ||= fromHost(event, frame, origin));
  const loaded = () => {
    removeEventListener("message", listen);
    removeEventListener("load", loaded);
    frame.removeEventListener("load", loaded);
    if (!heard) hello();
  };
  if (document.readyState === "complete" || performance.getEntriesByName(frame.src, "resource").length) return hello();
  addEventListener("message", listen);
  addEventListener("load", loaded);
  frame.addEventListener("load", loaded);
}

/** The host app's wasm beside `hostUrl` (null if it cannot be had: the frame then fetches its own). */
function app(hostUrl) {
  const url = new URL("threeds-host_bg.wasm", hostUrl).href;
  let wasm = apps.get(url);
  if (!wasm) {
    wasm = fetch(url)
      .then((response) => (response.ok ? response.arrayBuffer() : null))
      .catch(() => null);
    // A failed fetch is tried again for the next frame.
    wasm.then((bytes) => bytes || apps.delete(url));
    apps.set(url, wasm);
  }
  return wasm;
}

/** Posts `target` the host app's wasm beside `hostUrl` once fetched, to the host's origin only. */
function sendApp(target, hostUrl) {
  const origin = new URL(hostUrl).origin;
  app(hostUrl).then((bytes) => {
    // A copy of its own, transferred: the frame takes it without a structured clone
    // (milliseconds for this size on a slow phone); the page keeps its bytes for the next frame.
    const wasm = bytes && bytes.slice(0);
    target.postMessage({ protocol: PROTOCOL, version: VERSION, kind: "app", wasm }, origin, wasm ? [wasm] : []);
  });
}

/**
 * Answers `event` if it is a host frame's `app-wanted` (a frame made with
 * `app=parent`; the caller checked the event is of the host's origin): posts the
 * window that asked the app. The listener that heard it calls this: the started frame's
 * entry here, the client's own after. Whether it was one.
 */
export function answerAppWanted(event, hostUrl) {
  const data = event.data;
  if (data?.protocol !== PROTOCOL || data.kind !== "app-wanted" || !event.source) return false;
  sendApp(event.source, hostUrl);
  return true;
}

/** Starts the host app's fetch for frames of `hostUrl` (a frame being made will ask for it). */
export function fetchApp(hostUrl) {
  app(hostUrl);
}

/**
 * Keeps `frame` as the started one, for `hostUrl` in `locale`, and what it sends
 * from now on; `fed`: it asks this page for its app (`app=parent`).
 */
function track(frame, hostUrl, locale, declared, fed) {
  const entry = { frame, hostUrl, locale, declared, fed, messages: [] };
  const origin = new URL(hostUrl).origin;
  // Kept for the client that takes the frame: it checks them as if they had just
  // come. Its question for its app is answered here.
  entry.listen = (event) => {
    if (!fromHost(event, frame, origin) || answerAppWanted(event, hostUrl)) return;
    if (entry.messages.length < MAX_KEPT) entry.messages.push(event);
  };
  entry.cancel = () => {
    if (started !== entry) return;
    stop(entry);
    frame.remove();
  };
  addEventListener("message", entry.listen);
  started = entry;
  return entry;
}

// Attributes that would make a declared frame unlike the client's own: sandboxed,
// its document not its src's, under a policy of the page's, or without its cookies
// (the bank's pages in it would lose theirs).
const UNLIKE = ["sandbox", "srcdoc", "csp", "credentialless"];

/** Whether an iframe's `allow` grants every feature the host frame's must (to its src's origin, or all). */
function allowsEnough(frame) {
  const granted = (frame.getAttribute("allow") ?? "").split(";").map((policy) => {
    const [feature, ...origins] = policy.trim().split(/\s+/);
    return origins.length === 0 || origins.includes("*") || origins.includes("'src'") ? feature : null;
  });
  return ALLOW.split("; ").every((feature) => granted.includes(feature));
}

/** The host page a declared frame's `src` names for this page, and its locale; or null. */
function declaredPage(frame) {
  if (UNLIKE.some((name) => frame.hasAttribute(name)) || !allowsEnough(frame)) return null;
  let url;
  try {
    url = hostPage(frame.src);
  } catch {
    return null;
  }
  const parent = url.searchParams.get("parent");
  const locale = url.searchParams.get("locale") ?? "";
  const fed = url.searchParams.get("app") === "parent";
  for (const name of ["parent", "locale", "app"]) url.searchParams.delete(name);
  return parent === location.origin ? { url, locale, fed } : null;
}

/** Removes the frames the page declared that no client took (a second one, or a wrong one). */
function removeDeclared() {
  for (const frame of document.querySelectorAll("iframe[data-threeds-host]")) frame.remove();
}

/**
 * The host frame the page declared in its HTML (`iframe[data-threeds-host]`),
 * taken as the started one; or null. Its `src` is the host page with this page's
 * origin as `parent` and, optionally, a `locale`; its `allow` grants what a host
 * frame's does. The first such frame is taken; the others, and any frame that
 * is not one, are removed, and the client frames its own.
 */
function takeDeclared() {
  let taken = null;
  for (const frame of document.querySelectorAll("iframe[data-threeds-host]")) {
    const page = taken ? null : declaredPage(frame);
    if (page) taken = { frame, ...page };
    else frame.remove();
  }
  if (!taken) return null;
  const { frame, url, locale, fed } = taken;
  frame.removeAttribute("data-threeds-host");
  // `hidden` (display: none) goes; the client's own way of hiding comes.
  frame.removeAttribute("hidden");
  hide(frame);
  const entry = track(frame, url.href, locale, true, fed);
  if (fed) fetchApp(url.href);
  helloWhenLoaded(frame, url.origin, fed);
  return entry;
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
  const problem = urlProblem(url.protocol, url.hostname);
  if (problem) throw invalid("hostUrl" + problem);
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
  const current = live() ?? takeDeclared();
  // A declared frame's locale is the page's choice, unless this call names another.
  const sameLocale = current && (current.locale === language || (current.declared && locale == null));
  if (current && current.hostUrl === page && sameLocale) return current.cancel;
  if (!document.body) throw invalid("the page has no <body>");
  current?.cancel();

  const frame = hostFrame(page, language, document.body, false, true);
  hide(frame);
  fetchApp(page);
  return track(frame, page, language, false, true).cancel;
}

/** For `ThreeDS.load`: the started frame and what it sent, handed over once (else null). */
export function takePreloaded() {
  if (typeof document === "undefined") return null;
  const entry = live() ?? takeDeclared();
  // One declared after `preload` started a frame of its own serves no one.
  removeDeclared();
  if (!entry) return null;
  stop(entry);
  return { frame: entry.frame, hostUrl: entry.hostUrl, locale: entry.locale, fed: entry.fed, messages: entry.messages };
}
