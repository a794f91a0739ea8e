// The latency benchmark's page. One run per page load: load the SDK, a frictionless
// payment, then a challenge payment (the harness types the one-time code into the
// bank's frame). Every time is a wall-clock instant in ms (performance.timeOrigin +
// performance.now()), so the harness can set it beside the mock's request log.
//
//   bench.html?api=<3DS Server origin>&host=<SDK host page URL>[&key=pk_test_...]
import { ThreeDS, preload } from "../threeds-web.js";

const params = new URLSearchParams(location.search);
const API = params.get("api");
const HOST_URL = params.get("host");
const KEY = params.get("key") || "pk_test_threeds_mock";
// The test-card table: a frictionless Y and a one-time-code challenge, both with a 3DS Method.
const FRICTIONLESS = "5204247750001471";
const CHALLENGE = "4000020000000000";

const at = () => performance.timeOrigin + performance.now();
const bench = (window.bench = { state: "loading", navigationStart: performance.timeOrigin, t: {}, frictionless: {}, challenge: {} });

/** The merchant's server authenticates the session (the mock's demo merchant). */
async function authenticate(sessionId) {
  const response = await fetch(`${API}/demo-merchant/payments`, {
    method: "POST",
    headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json" },
    body: JSON.stringify({ session_id: sessionId, amount: "1999", currency: "978" }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(`authenticate: HTTP ${response.status} ${body?.error?.message || ""}`);
  return body;
}

/** createSession and authenticate, timed; the times go into `run`. */
async function pay(client, run, pan) {
  run.call = at();
  const session = await client.createSession({ pan });
  run.sessionDone = at();
  run.sessionId = session.sessionId;
  run.methodIndicator = session.methodCompletionIndicator;
  const authentication = await authenticate(session.sessionId);
  run.authDone = at();
  run.aresStatus = authentication.authentication_status_code;
  return authentication;
}

/** This window's navigation and resource entries: what each file cost on the wire. */
function entries() {
  return performance.getEntries()
    .filter((e) => e.entryType === "navigation" || e.entryType === "resource")
    .map((e) => ({ url: e.name, type: e.initiatorType || e.entryType, transfer: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize,
                   received: performance.timeOrigin + e.responseEnd }));
}

async function run() {
  const t = bench.t;
  // As the README shows: the host frame starts before `ThreeDS.load` (as the
  // HTML is parsed, where the page declares it; else here).
  const declared = document.querySelector("iframe[data-threeds-host]");
  t.preloadCall = at();
  preload({ hostUrl: HOST_URL });
  const preloaded = document.querySelector("iframe");
  if (declared && preloaded !== declared) throw new Error("preload did not take the host frame the page declared");
  t.loadCall = at();
  const client = await ThreeDS.load({ apiBaseUrl: API, publishableKey: KEY, hostUrl: HOST_URL });
  t.ready = at();
  // The host frame's rows time the frame preload started: it must be the client's.
  if (document.querySelector("iframe") !== preloaded) throw new Error("ThreeDS.load did not take the frame preload started");
  let current = bench.frictionless;
  client.on("method-started", () => { current.methodStarted = at(); });
  client.on("method-completed", (d) => { current.methodCompleted = at(); current.methodMs = d.ms; });

  const frictionless = await pay(client, bench.frictionless, FRICTIONLESS);
  if (frictionless.authentication_status_code !== "Y") throw new Error(`frictionless card: ARes ${frictionless.authentication_status_code}`);

  current = bench.challenge;
  const challenge = await pay(client, bench.challenge, CHALLENGE);
  if (challenge.authentication_status_code !== "C") throw new Error(`challenge card: ARes ${challenge.authentication_status_code}`);
  bench.state = "challenge";
  bench.challenge.startCall = at();
  const started = client.startChallenge({
    sessionId: challenge.session_id || bench.challenge.sessionId,
    acsChallengeUrl: challenge.acs_challenge_url,
    acsTransactionId: challenge.acs_transaction_id,
    threeDSVersion: challenge.threeds_version,
    threeDSServerTransId: challenge.three_ds_server_transaction_id,
    windowSize: "03",
    mode: "inline",
    container: "#challenge-slot",
  });
  // The call's own work on the page: the spare host frame has the call when it returns.
  bench.challenge.startReturned = at();
  const result = await started;
  bench.challenge.settled = at();
  bench.challenge.transStatus = result.transStatus;
  bench.entries = entries();
  bench.state = "done";
}

run().catch((error) => {
  bench.error = `${error.code || "error"}: ${error.message || error}`;
  bench.state = "failed";
});
