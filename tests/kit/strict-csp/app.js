// The strict-CSP checkout page's only script, served from the SDK origin (the page
// allows scripts from there alone). It counts every CSP violation from its first
// line on, loads the embed from the SDK origin with Subresource Integrity (its host
// frame declared in the page's HTML, taken by `preload()`), runs a challenge card
// through the session API and the merchant server, and shows the challenge inline.
const violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  violations.push(`${event.effectiveDirective} ${event.blockedURI} ${event.sample}`);
  document.body.dataset.violations = JSON.stringify(violations);
});
document.body.dataset.violations = "[]";

const params = new URLSearchParams(location.search);
const api = params.get("api");
const key = "pk_test_threeds_mock";

async function run() {
  const sdk = new URL(import.meta.url).origin;
  // The page's <link rel="modulepreload" integrity> pins the embed.
  const { ThreeDS, preload } = await import(`${sdk}/threeds-web.js`);
  // The default host page, beside the script on the SDK origin, as ThreeDS.load's
  // default: the frame the HTML declared for it.
  const declared = document.querySelector("iframe[data-threeds-host]");
  preload({ locale: "en" }); // the declared frame's locale
  const started = document.querySelector("iframe");
  if (!declared || started !== declared) throw new Error("preload did not take the host frame the page declared");
  const client = await ThreeDS.load({ apiBaseUrl: api, publishableKey: key, locale: "en" });
  if (document.querySelectorAll("iframe")[0] !== started || !started.src.startsWith(`${sdk}/host.html?`)) {
    throw new Error("ThreeDS.load did not take the declared frame for its default host page");
  }
  const session = await client.createSession({ pan: params.get("pan") });
  const response = await fetch(`${api}/demo-merchant/payments`, {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: JSON.stringify({ session_id: session.sessionId, amount: "1999", currency: "978" }),
  });
  const auth = await response.json();
  const result = await client.startChallenge({
    sessionId: session.sessionId,
    acsChallengeUrl: auth.acs_challenge_url,
    acsTransactionId: auth.acs_transaction_id,
    threeDSVersion: auth.threeds_version,
    threeDSServerTransId: auth.three_ds_server_transaction_id,
    mode: params.get("mode") || "modal",
    container: params.get("mode") === "inline" ? document.getElementById("slot") : undefined,
  });
  client.destroy();
  return result.transStatus;
}

run().then(
  (status) => Object.assign(document.body.dataset, { done: "ok", result: status }),
  (error) => Object.assign(document.body.dataset, { done: "error", result: `${error.code}: ${error.message}` }),
);
