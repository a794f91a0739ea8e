// Starts the SDK host app (a file, not an inline script, so the page's CSP needs no 'unsafe-inline').
//
// A frame the embed made says so in its address (`app=parent`): the embed fetches
// the app's wasm with the checkout page, a round trip before this page could ask
// for it, and posts it here when asked (`app-wanted`). The bytes run only if their
// SHA-256 is the one the build wrote below, so they are this release's app, byte
// for byte; any others, or none, and this page fetches its own. Bytes that ran are
// kept in this origin's Cache Storage (as the checkout page's site partitions it),
// so the next frame, on this visit or the next, starts without waiting for the
// checkout page's script.
import init from "./threeds-host.js";

const APP_SHA256 = "{{host-app-sha256}}";
const own = new URL("./threeds-host_bg.wasm", import.meta.url);
const query = new URLSearchParams(location.search);
const parentOrigin = query.get("parent");
// One entry: this release's app (older releases' entries go when it is written).
const STORE = "threeds-host-app";
const storedAs = `${own.href}?sha256=${encodeURIComponent(APP_SHA256)}`;

function base64(buffer) {
  return btoa(String.fromCharCode(...new Uint8Array(buffer)));
}

/** Whether `wasm` is this release's app. */
async function verified(wasm) {
  if (!(wasm instanceof ArrayBuffer) || !crypto.subtle) return false;
  return base64(await crypto.subtle.digest("SHA-256", wasm)) === APP_SHA256;
}

/**
 * `wasm` compiled, if it is this release's app, else null. Compiling runs none of
 * its code, so it goes on while the bytes are checked; only checked bytes run.
 */
async function checked(wasm) {
  const compiled = wasm instanceof ArrayBuffer ? WebAssembly.compile(wasm).catch(() => null) : null;
  return (await verified(wasm)) ? await compiled : null;
}

/** This release's app from the store, compiled, or null (none, another, or no store here). */
async function stored() {
  try {
    const answer = await (await caches.open(STORE)).match(storedAs);
    return answer ? await checked(await answer.arrayBuffer()) : null;
  } catch {
    return null;
  }
}

/**
 * Keeps a verified app for the next frame, in place of any other release's, once
 * this page is idle: writing it costs the main thread (milliseconds on a slow
 * phone) that the app's start and first call need more.
 */
function storeLater(wasm) {
  const store = () => keep(wasm);
  if (typeof requestIdleCallback === "function") requestIdleCallback(store, { timeout: 2000 });
  else setTimeout(store, 200);
}

async function keep(wasm) {
  try {
    const cache = await caches.open(STORE);
    await cache.put(storedAs, new Response(wasm, { headers: { "Content-Type": "application/wasm" } }));
    for (const entry of await cache.keys()) if (entry.url !== storedAs) await cache.delete(entry);
  } catch {
    // No store in this context (a private window, storage blocked): the next frame asks again.
  }
}

if (query.get("app") !== "parent" || window.parent === window || !parentOrigin) {
  init({ module_or_path: own });
} else {
  let started = false;
  const start = (module_or_path) => {
    if (started) return;
    started = true;
    removeEventListener("message", posted);
    init({ module_or_path });
  };
  const posted = (event) => {
    const data = event.data;
    if (event.source !== window.parent || event.origin !== parentOrigin) return;
    if (data?.protocol !== "threeds-web" || data.version !== 2 || data.kind !== "app") return;
    removeEventListener("message", posted);
    const wasm = data.wasm;
    checked(wasm).then(
      (app) => {
        start(app ?? own);
        if (app) storeLater(wasm);
      },
      () => start(own),
    );
  };
  // Listening first: the page may post the app unasked.
  addEventListener("message", posted);
  stored().then((app) => {
    if (app) return start(app);
    if (started) return;
    try {
      window.parent.postMessage({ protocol: "threeds-web", version: 2, kind: "app-wanted" }, parentOrigin);
    } catch {
      // `parent` is no origin: the app starts and says so.
      start(own);
    }
  });
}
