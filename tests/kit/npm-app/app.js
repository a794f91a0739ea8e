// A checkout page that uses threeds-web as npm installed it: the embed from
// node_modules/threeds-web/, the SDK host page from its host/ folder, served on the
// other loopback name (an origin of its own). ?api= is the session API's origin.
import { ThreeDS, preload } from "./node_modules/threeds-web/threeds-web.js";

const params = new URLSearchParams(location.search);
const api = params.get("api");
const host = new URL("node_modules/threeds-web/host/host.html", location.href);
host.hostname = host.hostname === "localhost" ? "127.0.0.1" : "localhost";

async function run() {
  preload({ hostUrl: host.href });
  const started = document.querySelector("iframe");
  const client = await ThreeDS.load({ apiBaseUrl: api, publishableKey: "pk_test_threeds_mock", hostUrl: host.href });
  // The frame preload started is the client's background frame, with no other of
  // its own (the spare for a challenge boots later, once no call runs).
  const frames = document.querySelectorAll("iframe");
  if (frames.length !== 1 || frames[0] !== started) throw new Error("ThreeDS.load did not take the frame preload started");
  const session = await client.createSession({ pan: params.get("pan") || "4000000000001000" });
  const response = await fetch(`${api}/demo-merchant/payments`, {
    method: "POST",
    headers: { Authorization: "Bearer pk_test_threeds_mock", "Content-Type": "application/json" },
    body: JSON.stringify({ session_id: session.sessionId, amount: "1999", currency: "978" }),
  });
  const authentication = await response.json();
  client.destroy();
  return { sessionId: session.sessionId, compInd: session.methodCompletionIndicator, transStatus: authentication.authentication_status_code };
}

run().then(
  (result) => Object.assign(document.body.dataset, { done: "ok", result: JSON.stringify(result) }),
  (error) => Object.assign(document.body.dataset, { done: "error", result: `${error.code}: ${error.message}` }),
);
