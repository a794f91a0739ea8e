// Starts the SDK host app (a file, not an inline script, so the page's CSP needs no 'unsafe-inline').
import init from "./threeds-host.js";
init({ module_or_path: new URL("./threeds-host_bg.wasm", import.meta.url) });
