// The demo checkout page: what a merchant's checkout code looks like with threeds-web.
//
// Pay runs the whole flow: createSession (device data, session, 3DS Method) ->
// the merchant's server authenticates with its secret key -> the challenge, if
// the bank asks for one -> the result, with the parameters for the processor.
// Every text goes in through textContent: nothing from the network becomes HTML.

const params = new URLSearchParams(location.search);
// The mock's 3DS Server origin (the demo command starts it on 8181).
const API = (params.get("api") || "http://127.0.0.1:8181").replace(/\/$/, "");
const PUBLISHABLE_KEY = params.get("key") || "pk_test_threeds_mock";
// The SDK host page must sit on an origin of its own: the same server under the
// other loopback name (localhost <-> 127.0.0.1) is one.
const HOST_URL = params.get("host") || hostOnOtherLoopbackName();

const $ = (id) => document.getElementById(id);
const el = (tag, { dataset, ...props } = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  Object.assign(node.dataset, dataset);
  node.append(...children);
  return node;
};

function hostOnOtherLoopbackName() {
  const url = new URL("host.html", location.href);
  url.hostname = url.hostname === "localhost" ? "127.0.0.1" : "localhost";
  return url.href;
}

// ---- what the codes mean --------------------------------------------------------

const STATUS_MEANING = {
  Y: ["Authenticated", "The issuer verified the cardholder. Liability for fraud shifts to the issuer."],
  A: ["Attempted", "The issuer or card scheme attempted authentication and produced a proof. Liability usually shifts."],
  N: ["Not authenticated", "The cardholder was not verified. Do not proceed with this payment as authenticated."],
  U: ["Unavailable", "Authentication could not be performed (technical or other problem). No liability shift."],
  R: ["Rejected", "The issuer rejected the authentication and asks you not to authorise the payment."],
  C: ["Challenge required", "The issuer asks the cardholder to verify."],
  D: ["Decoupled", "The cardholder confirms outside this page, e.g. in the banking app."],
  I: ["Informational", "Informational only: the requestor's challenge preference was acknowledged."],
};

// ---- the timeline ---------------------------------------------------------------

let runStarted = 0;
let shownMessages = 0;
const timeline = $("timeline");

function clock(at) {
  return `+${Math.max(0, Math.round(at - runStarted))} ms`;
}

/** Adds a step; returns a function that marks it done (with its duration) or failed. */
function step(title, detail) {
  const started = performance.now();
  const duration = el("span", { className: "duration", textContent: "…" });
  const item = el("li", { className: "step running" },
    el("span", { className: "at", textContent: clock(Date.now()) }),
    el("span", { className: "title", textContent: title }),
    duration);
  if (detail) item.append(el("div", { className: "detail", textContent: detail }));
  timeline.append(item);
  return (outcome, ok = true) => {
    item.classList.remove("running");
    item.classList.add(ok ? "done" : "failed");
    duration.textContent = `${Math.round(performance.now() - started)} ms`;
    if (outcome) item.append(el("div", { className: "detail", textContent: outcome }));
  };
}

function note(title, detail) {
  timeline.append(el("li", { className: "step event" },
    el("span", { className: "at", textContent: clock(Date.now()) }),
    el("span", { className: "title", textContent: title }),
    detail ? el("div", { className: "detail", textContent: detail }) : ""));
}

/** The essentials of a message, on one line, so the timeline reads without opening it. */
function essentials(message, body) {
  const pick = (...keys) => keys.filter((k) => body[k] !== undefined && body[k] !== null).map((k) => `${k} ${body[k]}`).join(" · ");
  switch (message) {
    case "threeDSMethodData": return pick("threeDSServerTransID");
    case "AReq": return pick("messageVersion", "threeDSCompInd", "threeDSRequestorChallengeInd", "acctNumber", "purchaseAmount", "purchaseCurrency");
    case "ARes": return pick("transStatus", "transStatusReason", "acsChallengeMandated", "eci", "dsTransID");
    case "CReq": return pick("messageVersion", "challengeWindowSize", "acsTransID");
    case "CRes": return pick("transStatus", "challengeCompletionInd");
    case "RReq": return pick("transStatus", "transStatusReason", "eci", "interactionCounter", "challengeCancel");
    case "RRes": return pick("resultsStatus");
    case "Erro": return pick("errorCode", "errorComponent", "errorDescription");
    default: return "";
  }
}

/** Fetches the transaction's messages from the merchant's server and shows the new ones. */
async function showMessages(sessionId) {
  const { messages } = (await merchant(`/payments/${encodeURIComponent(sessionId)}/messages`)).body;
  for (const recorded of messages.slice(shownMessages)) {
    const summary = el("summary", {},
      el("span", { className: "message-name", textContent: recorded.message }),
      el("span", { className: "route", textContent: ` ${recorded.from} → ${recorded.to}` }),
      el("span", { className: "essentials", textContent: essentials(recorded.message, recorded.body) }));
    timeline.append(el("li", { className: "step message", dataset: { message: recorded.message } },
      el("span", { className: "at", textContent: clock(recorded.at_ms) }),
      el("details", {}, summary, el("pre", { textContent: JSON.stringify(recorded.body, null, 2) }))));
  }
  shownMessages = messages.length;
}

// ---- the merchant's server (the mock plays it; it holds the secret key) ------------

class MerchantError extends Error {
  constructor(status, body) {
    super(body?.error?.message || `the merchant server answered HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code || "http_" + status;
    this.erro = body?.error?.erro;
  }
}

async function merchant(path, body) {
  // The demo merchant's endpoints take the page's own (publishable) key.
  const auth = { Authorization: `Bearer ${PUBLISHABLE_KEY}` };
  const response = await fetch(`${API}/demo-merchant${path}`, body === undefined ? { headers: auth } : {
    method: "POST",
    headers: { ...auth, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new MerchantError(response.status, json);
  return { pending: response.status === 202, body: json };
}

/** Polls the result while a challenge or a decoupled authentication is still going. */
async function finalResult(sessionId, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { pending, body } = await merchant(`/payments/${encodeURIComponent(sessionId)}`);
    if (!pending) return body;
    if (Date.now() > deadline) throw new Error("the result did not arrive in time");
    await new Promise((resolve) => setTimeout(resolve, body.retry_after_ms || 500));
  }
}

// ---- the page ------------------------------------------------------------------------

const form = $("pay-form");
const pay = $("pay");
let client = null;
let cards = [];

function minorUnits(text) {
  const match = /^\s*(\d{1,9})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!match) return null;
  return String(Number(match[1]) * 100 + Number((match[2] || "0").padEnd(2, "0")));
}

function updatePayLabel() {
  const currency = $("currency").selectedOptions[0];
  const amount = minorUnits($("amount").value);
  pay.textContent = amount === null ? "Pay" : `Pay ${currency.dataset.symbol}${(Number(amount) / 100).toFixed(2)}`;
}

function describeCard() {
  const pan = $("pan").value.replace(/\D/g, "");
  const card = cards.find((c) => c.pan === pan);
  $("scenario").textContent = card
    ? `${card.scenario} · ${card.brand} · EMV ${card.version}${card.challenge ? ` · one-time code ${cards.oneTimeCode}` : ""}`
    : pan ? "Not in the test table: frictionless success." : "";
}

function showError(title, error) {
  const box = $("error");
  box.replaceChildren(el("strong", { textContent: title }), el("span", { textContent: ` ${error.message || error}` }));
  if (error.erro) box.append(el("pre", { textContent: JSON.stringify(error.erro, null, 2) }));
  box.dataset.code = error.code || "error";
  box.hidden = false;
}

function clearOutcome() {
  $("error").hidden = true;
  delete $("error").dataset.code;
  $("result").hidden = true;
  timeline.replaceChildren();
  shownMessages = 0;
}

function fact(list, term, value) {
  list.append(el("dt", { textContent: term }), el("dd", { textContent: value ?? "—" }));
}

function showResult(authentication) {
  const status = authentication.authentication_status_code;
  const [name, meaning] = STATUS_MEANING[status] || [status, ""];
  const result = $("result");
  result.dataset.transStatus = status;
  result.dataset.eci = authentication.eci || "";
  $("result-status").replaceChildren(
    el("span", { className: `badge status-${status}`, textContent: status }),
    el("span", { textContent: ` ${name}` }));
  $("result-meaning").textContent = meaning;
  const facts = $("result-facts");
  facts.replaceChildren();
  fact(facts, "transStatus", `${status} (${authentication.authentication_status})`);
  if (authentication.authentication_status_reason) {
    fact(facts, "transStatusReason", `${authentication.authentication_status_reason_code} (${authentication.authentication_status_reason})`);
  }
  fact(facts, "ECI", authentication.eci);
  fact(facts, "authenticationValue", authentication.authentication_value);
  fact(facts, "dsTransID", authentication.ds_transaction_id);
  fact(facts, "Version", authentication.threeds_version);
  fact(facts, "Liability shift", authentication.liability_shifted ? "yes, to the issuer" : "no");
  if (authentication.authentication_challenge_type) fact(facts, "Challenge", authentication.authentication_challenge_type);
  if (authentication.challenge_cancel_reason) fact(facts, "Challenge cancelled", authentication.challenge_cancel_reason);
  const stripe = authentication.processor?.stripe;
  $("handoff").hidden = !stripe;
  $("handoff-json").textContent = stripe ? JSON.stringify(stripe.json, null, 2) : "";
  $("handoff-curl").textContent = stripe ? stripe.curl : "";
  $("handoff-note").textContent = stripe
    ? "Ready to send with the PaymentIntent: payment_method_options[card][three_d_secure]."
    : `Nothing to import: a transStatus of ${status} carries no authentication to send to the processor.`;
  result.hidden = false;
}

async function runPayment() {
  const pan = $("pan").value.replace(/\D/g, "");
  const amount = minorUnits($("amount").value);
  if (!/^\d{12,19}$/.test(pan)) return showError("Card number:", "enter 12 to 19 digits, or pick a test card.");
  if (amount === null) return showError("Amount:", "enter an amount such as 19.99.");
  const mode = form.elements.mode.value;
  const windowSize = $("window-size").value;
  runStarted = Date.now();

  const sessionStep = step("Device data, session and 3DS Method", "createSession({ pan })");
  const session = await client.createSession({ pan }).catch((error) => {
    sessionStep(error.message, false);
    throw error;
  });
  sessionStep(`session ${session.sessionId} · EMV ${session.recommendedVersion} · threeDSCompInd ${session.methodCompletionIndicator}`);
  await showMessages(session.sessionId);

  const authStep = step("Authenticate (merchant server, secret key)", "POST /demo-merchant/payments");
  let authentication;
  try {
    ({ body: authentication } = await merchant("/payments", {
      session_id: session.sessionId,
      amount,
      currency: $("currency").value,
      decoupled: $("decoupled").checked,
    }));
    authStep(`ARes transStatus ${authentication.authentication_status_code}`);
  } catch (error) {
    authStep(error.message, false);
    await showMessages(session.sessionId).catch(() => {});
    throw error;
  }
  await showMessages(session.sessionId);

  if (authentication.authentication_status_code === "C") {
    $("stage-placeholder").hidden = mode === "inline";
    const challengeStep = step("Challenge", `startChallenge({ mode: "${mode}", windowSize: "${windowSize}" })`);
    try {
      const outcome = await client.startChallenge({
        sessionId: session.sessionId,
        acsChallengeUrl: authentication.acs_challenge_url,
        acsTransactionId: authentication.acs_transaction_id,
        threeDSVersion: authentication.threeds_version,
        threeDSServerTransId: authentication.three_ds_server_transaction_id,
        windowSize,
        mode,
        container: mode === "inline" ? $("challenge-slot") : undefined,
      });
      challengeStep(`CRes transStatus ${outcome.transStatus}`);
    } catch (error) {
      challengeStep(error.message, false);
      throw error;
    } finally {
      $("stage-placeholder").hidden = false;
    }
    const resultStep = step("Result (merchant server)", "GET /demo-merchant/payments/{id}");
    authentication = await finalResult(session.sessionId);
    resultStep(`RReq transStatus ${authentication.authentication_status_code}`);
  } else if (authentication.authentication_status_code === "D") {
    const decoupledStep = step("Decoupled authentication", "the cardholder confirms in the banking app; the server polls");
    authentication = await finalResult(session.sessionId);
    decoupledStep(`RReq transStatus ${authentication.authentication_status_code}`);
  }
  await showMessages(session.sessionId);
  showResult(authentication);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!client || pay.disabled) return;
  clearOutcome();
  pay.disabled = true;
  form.setAttribute("aria-busy", "true");
  try {
    await runPayment();
  } catch (error) {
    const titles = {
      cancelled: "Verification cancelled.",
      challenge_timeout: "The verification timed out.",
      directory_server_error: "The card network could not authenticate this payment.",
      internal_error: "The 3DS Server failed.",
    };
    showError(titles[error.code] || "The payment could not be authenticated.", error);
  } finally {
    pay.disabled = false;
    form.removeAttribute("aria-busy");
  }
});

$("card-picker").addEventListener("change", (event) => {
  if (event.target.value) $("pan").value = event.target.value;
  describeCard();
});
$("pan").addEventListener("input", describeCard);
$("amount").addEventListener("input", updatePayLabel);
$("currency").addEventListener("change", updatePayLabel);
document.addEventListener("click", (event) => {
  const button = event.target.closest("button.copy");
  if (button) navigator.clipboard?.writeText($(button.dataset.copy).textContent).then(() => { button.textContent = "Copied"; });
});

async function loadCards() {
  const response = await fetch(`${API}/3ds/test-cards`);
  if (!response.ok) throw new Error(`the test cards could not be loaded (HTTP ${response.status})`);
  const table = await response.json();
  cards = table.cards;
  cards.oneTimeCode = table.one_time_code;
  const picker = $("card-picker");
  const groups = new Map();
  for (const card of cards) {
    if (!groups.has(card.scenario)) groups.set(card.scenario, el("optgroup", { label: card.scenario }));
    const spaced = card.pan.replace(/(\d{4})(?=\d)/g, "$1 ");
    groups.get(card.scenario).append(el("option", { value: card.pan, textContent: `${spaced} · ${card.brand} · ${card.version}` }));
  }
  picker.replaceChildren(el("option", { value: "", textContent: "Choose a test card…" }), ...groups.values());
  picker.value = cards[0].pan;
  $("pan").value = cards[0].pan;
  describeCard();
}

/** The embed's bindings, once Trunk's loader has started the module. */
function bindings() {
  if (window.wasmBindings) return Promise.resolve(window.wasmBindings);
  return new Promise((resolve) => addEventListener("TrunkApplicationStarted", () => resolve(window.wasmBindings), { once: true }));
}

async function start() {
  $("origins").replaceChildren(
    ...[["checkout", location.origin], ["SDK host", new URL(HOST_URL).origin], ["3DS Server", API]].map(([name, origin]) =>
      el("span", { className: "origin" }, el("b", { textContent: name }), ` ${origin}`)));
  updatePayLabel();
  try {
    await loadCards();
    const { ThreeDS } = await bindings();
    runStarted = Date.now();
    const loading = step("Load the SDK", `ThreeDS.load({ hostUrl: "${HOST_URL}" })`);
    client = await ThreeDS.load({ apiBaseUrl: API, publishableKey: PUBLISHABLE_KEY, hostUrl: HOST_URL });
    loading("the SDK host frame is ready");
    client.on("method-started", () => note("3DS Method started", "hidden iframe, threeDSMethodData posted to the ACS"));
    client.on("method-completed", (d) => note(`3DS Method completed: ${d.indicator}`, `${d.ms} ms`));
    client.on("challenge-shown", (d) => note(`Challenge shown at ${d.windowSize}`, `${d.width} × ${d.height} CSS pixels`));
    client.on("challenge-completed", (d) => note(`Challenge completed: ${d.transStatus}`));
    client.on("cancelled", (d) => note("Cancelled", d.message));
    pay.disabled = false;
    document.body.dataset.ready = "true";
  } catch (error) {
    showError("The demo could not start:", `${error.message || error}. Is the mock backend running at ${API}? (./x demo starts it.)`);
  }
}

start();
