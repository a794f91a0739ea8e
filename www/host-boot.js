// Starts the SDK host app (a file, not an inline script, so the page's CSP needs no 'unsafe-inline').
//
// A frame the embed made says so in its address (`app=parent`): the embed fetches
// the app's wasm with the checkout page, a round trip before this page could ask
// for it, and posts it here when asked (`app-wanted`). The bytes run only if their
// SHA-256 is the one the build wrote below, so they are this release's app, byte
// for byte; any others, or none, and this page fetches its own.
import init from "./threeds-host.js";

const APP_SHA256 = "{{host-app-sha256}}";
const own = new URL("./threeds-host_bg.wasm", import.meta.url);
const query = new URLSearchParams(location.search);
const parentOrigin = query.get("parent");

function base64(buffer) {
  return btoa(String.fromCharCode(...new Uint8Array(buffer)));
}

/** The posted app if it is this release's, else this page's own. */
async function verified(wasm) {
  if (!(wasm instanceof ArrayBuffer) || !crypto.subtle) return own;
  const digest = base64(await crypto.subtle.digest("SHA-256", wasm));
  return digest === APP_SHA256 ? wasm : own;
}

if (query.get("app") !== "parent" || window.parent === window || !parentOrigin) {
  init({ module_or_path: own });
} else {
  const posted = (event) => {
    const data = event.data;
    if (event.source !== window.parent || event.origin !== parentOrigin) return;
    if (data?.protocol !== "threeds-web" || data.version !== 2 || data.kind !== "app") return;
    removeEventListener("message", posted);
    verified(data.wasm).then(
      (module_or_path) => init({ module_or_path }),
      () => init({ module_or_path: own }),
    );
  };
  addEventListener("message", posted);
  try {
    window.parent.postMessage({ protocol: "threeds-web", version: 2, kind: "app-wanted" }, parentOrigin);
  } catch {
    // `parent` is no origin: the app starts and says so.
    removeEventListener("message", posted);
    init({ module_or_path: own });
  }
}
