// The demo checkout page: what a merchant's checkout code looks like with threeds-web.
//
// Pay runs the whole flow: createSession (device data, session, 3DS Method) ->
// the merchant's server authenticates with its secret key -> the challenge, if
// the bank asks for one -> the result, with the parameters for the processor.
// Every text goes in through textContent: nothing from the network becomes HTML.
//
// With a processor (Stripe PaymentIntent, Stripe Sources, Checkout.com) Pay runs the
// processor's flow instead: the merchant's server creates the processor's object
// with the processor's secret key, the page shows the processor's 3-D Secure page
// through presentAuthentication (inline, modal, or a full-page redirect that comes
// back here and resumes with ThreeDS.readReturn), then the merchant's server
// retrieves the object. The timeline shows the server's API calls and webhooks.

import { ThreeDS, preload } from "/threeds-web.js";

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
  shownCalls = 0;
  shownWebhooks = 0;
  $("advance-clock").hidden = true;
}

function fact(list, term, value) {
  list.append(el("dt", { textContent: term }), el("dd", { textContent: value ?? "—" }));
}

function showResult(authentication) {
  const status = authentication.authentication_status_code;
  const [name, meaning] = STATUS_MEANING[status] || [status, ""];
  const result = $("result");
  for (const key of ["processor", "processorStatus", "chargeStatus"]) delete result.dataset[key];
  result.dataset.transStatus = status;
  result.dataset.eci = authentication.eci || "";
  $("handoff-section").hidden = false;
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
  // The whole chain: the merchant server sends this hand-off to Stripe's emulation.
  $("import-stripe").hidden = !stripe;
  $("import-stripe").disabled = false;
  $("import-result").textContent = "";
  delete result.dataset.importStatus;
  result.hidden = false;
}

/** Sends the session's hand-off to Stripe ("import 3DS results") through the merchant server. */
async function importToStripe() {
  const sessionId = $("result").dataset.sessionId;
  if (!sessionId) return;
  $("import-stripe").disabled = true;
  const importStep = step("Pay through Stripe with the 3DS result (merchant server)",
    "POST /stripe/v1/payment_intents with payment_method_options[card][three_d_secure]");
  try {
    const { body: view } = await merchant("/processors/stripe/imports", {
      session_id: sessionId, amount: minorUnits($("amount").value) || "1000", currency: $("currency").value,
    });
    showCalls(view.calls);
    const tds = view.object?.latest_charge?.payment_method_details?.card?.three_d_secure;
    const text = view.error
      ? `${view.error.error?.code || view.error.error?.type}: ${view.error.error?.message || ""}`
      : `PaymentIntent ${view.id} ${view.status}${tds ? ` · three_d_secure ${tds.result}, ${tds.version}` : ""}`;
    $("import-result").textContent = text;
    $("result").dataset.importStatus = view.status || "error";
    importStep(text, !view.error);
  } catch (error) {
    $("import-result").textContent = error.message;
    $("result").dataset.importStatus = "error";
    importStep(error.message, false);
  } finally {
    $("import-stripe").disabled = false;
  }
}
$("import-stripe").addEventListener("click", () => importToStripe());

/** The checkout form's card, amount, mode and window size; null (after showing why) when they are not valid. */
function readCheckout() {
  const pan = $("pan").value.replace(/\D/g, "");
  const amount = minorUnits($("amount").value);
  if (!/^\d{12,19}$/.test(pan)) {
    showError("Card number:", "enter 12 to 19 digits, or pick a test card.");
    return null;
  }
  if (amount === null) {
    showError("Amount:", "enter an amount such as 19.99.");
    return null;
  }
  return { pan, amount, mode: form.elements.mode.value, windowSize: $("window-size").value };
}

async function runPayment() {
  const checkout = readCheckout();
  if (!checkout) return;
  const { pan, amount, mode, windowSize } = checkout;
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
  $("result").dataset.sessionId = session.sessionId;
  showResult(authentication);
}

// ---- processors: the merchant server's calls, the processor's page, the result -----------

const PROCESSORS = {
  sessions: { hint: "This SDK's own session API: device data, 3DS Method, AReq, challenge, RReq." },
  stripe: { name: "PaymentIntent", hint: "POST /stripe/v1/payment_intents (confirm=true, request_three_d_secure=any), then next_action.redirect_to_url." },
  "stripe-sources": { name: "Source", hint: "A card source, then a three_d_secure source; redirect[url]; a chargeable source is charged. Webhooks arrive." },
  checkout: { name: "Payment", hint: "POST /checkout/tokens, POST /checkout/payments with 3ds.enabled, then _links.redirect; success_url or failure_url." },
};
// What each final status means for the merchant.
const PROCESSOR_STATUS = {
  succeeded: ["ok", "The payment succeeded."],
  requires_capture: ["ok", "Authorized: capture it to take the money."],
  requires_payment_method: ["bad", "Authentication failed or the card was declined: ask for another payment method."],
  requires_action: ["wait", "Waiting for the cardholder's 3-D Secure."],
  pending: ["wait", "Waiting for the cardholder's 3-D Secure."],
  chargeable: ["ok", "Authenticated: the source may be charged."],
  consumed: ["ok", "The source was charged."],
  failed: ["bad", "3-D Secure failed: the source cannot be charged."],
  canceled: ["bad", "The source expired before it was charged."],
  Authorized: ["ok", "The payment is authorized."],
  Pending: ["wait", "Waiting for the cardholder's 3-D Secure."],
  Declined: ["bad", "The payment was declined."],
};
// The query parameters a processor returns with, and the object ID among them.
const RETURN_PARAMS = ["payment_intent", "payment_intent_client_secret", "redirect_status", "source", "client_secret", "livemode", "cko-session-id", "outcome"];
const RUN_KEY = "threeds-web-demo:redirect";

let shownCalls = 0;
let shownWebhooks = 0;
let activeSource = null;
let expiredByClock = false;

/** The merchant server's calls to the processor not shown yet. */
function showCalls(calls = []) {
  for (const call of calls.slice(shownCalls)) {
    const path = call.path.split("?")[0];
    const answer = call.response || {};
    const object = answer.error ? `error ${answer.error.code || answer.error.type}` : [answer.id, answer.status, answer.error_type].filter(Boolean).join(" · ");
    const summary = el("summary", {},
      el("span", { className: "call-name", textContent: `${call.method} ${path}` }),
      el("span", { className: "http-status", textContent: ` HTTP ${call.status}` }),
      el("span", { className: "essentials", textContent: object }));
    const body = { request: call.request, response: call.response };
    timeline.append(el("li", { className: "step call", dataset: { call: `${call.method} ${path}`, status: String(call.status) } },
      el("span", { className: "at", textContent: clock(call.at_ms) }),
      el("details", {}, summary, el("pre", { textContent: JSON.stringify(body, null, 2) }))));
  }
  shownCalls = Math.max(shownCalls, calls.length);
}

/** Webhooks the merchant's endpoint received, not shown yet. */
function showWebhooks(events = []) {
  for (const event of events.slice(shownWebhooks)) {
    const summary = el("summary", {},
      el("span", { className: "webhook-name", textContent: `webhook ${event.type}` }),
      el("span", { className: "essentials", textContent: ` ${event.object?.id ?? ""} · ${event.object?.status ?? ""}` }));
    timeline.append(el("li", { className: "step webhook", dataset: { event: event.type } },
      el("span", { className: "at", textContent: clock(event.received_at_ms) }),
      el("details", {}, summary, el("pre", { textContent: JSON.stringify(event, null, 2) }))));
  }
  shownWebhooks = Math.max(shownWebhooks, events.length);
}

/** The events a source's final status brings. */
function expectedWebhooks(view) {
  if (view.status === "consumed" || view.charge) return ["source.chargeable", view.charge?.status === "succeeded" ? "charge.succeeded" : "charge.failed"];
  if (view.status === "failed") return ["source.failed"];
  if (view.status === "canceled") return ["source.canceled"];
  return [];
}

/** Waits (a few seconds at most) for the source's webhooks and shows them. */
async function awaitWebhooks(view) {
  const expected = expectedWebhooks(view);
  const deadline = Date.now() + 5000;
  let events = view.webhooks || [];
  for (;;) {
    showWebhooks(events);
    const types = events.map((e) => e.type);
    if (expected.every((t) => types.includes(t)) || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 150));
    events = (await merchant(`/processors/stripe-sources/payments/${encodeURIComponent(view.id)}/webhooks`)).body.webhooks;
  }
  $("result").dataset.webhooks = events.map((e) => e.type).join(" ");
}

function showProcessorResult(processor, view) {
  const result = $("result");
  const status = view.status || (view.error ? "refused" : "unknown");
  const [tone, meaning] = PROCESSOR_STATUS[status] || ["bad", "The processor refused the request."];
  delete result.dataset.transStatus;
  delete result.dataset.eci;
  delete result.dataset.chargeStatus;
  delete result.dataset.sessionId;
  delete result.dataset.importStatus;
  $("import-stripe").hidden = true;
  result.dataset.processor = processor;
  result.dataset.processorStatus = status;
  $("result-status").replaceChildren(
    el("span", { className: `badge status-${tone}`, textContent: status }),
    el("span", { textContent: ` ${PROCESSORS[processor].name}` }));
  $("result-meaning").textContent = meaning;
  const facts = $("result-facts");
  facts.replaceChildren();
  const object = view.object || {};
  fact(facts, "ID", view.id);
  fact(facts, "status", status);
  if (processor === "stripe") {
    const secure = object.latest_charge?.payment_method_details?.card?.three_d_secure;
    if (secure) {
      fact(facts, "3DS result", `${secure.result} (${secure.result_reason ?? "—"})`);
      fact(facts, "3DS flow", secure.authentication_flow);
      fact(facts, "ECI", secure.electronic_commerce_indicator);
      fact(facts, "Version", secure.version);
    }
    const error = object.last_payment_error || view.error?.error;
    if (error) fact(facts, "last_payment_error", `${error.code}${error.decline_code ? ` / ${error.decline_code}` : ""}: ${error.message}`);
  } else if (processor === "stripe-sources") {
    if (object.redirect) fact(facts, "redirect.status", object.redirect.status);
    if (object.three_d_secure) fact(facts, "three_d_secure.authenticated", String(object.three_d_secure.authenticated));
    if (view.charge) {
      const charge = view.charge.error ? `failed: ${view.charge.error.code} / ${view.charge.error.decline_code ?? "—"}` : `${view.charge.id} ${view.charge.status}`;
      result.dataset.chargeStatus = view.charge.error ? "failed" : view.charge.status;
      fact(facts, "Charge", charge);
    }
    if (view.error?.error) fact(facts, "Error", `${view.error.error.code}: ${view.error.error.message}`);
  } else if (processor === "checkout") {
    const secure = object["3ds"];
    if (secure) {
      fact(facts, "3ds.enrolled", secure.enrolled);
      fact(facts, "3ds.authentication_response", secure.authentication_response);
      fact(facts, "3ds.downgraded", String(secure.downgraded));
    }
    fact(facts, "ECI", object.eci);
    const action = (object.actions || [])[0];
    if (action) fact(facts, "Response", `${action.response_code} ${action.response_summary}`);
    if (view.error?.error_codes) fact(facts, "error_codes", view.error.error_codes.join(", "));
  }
  $("handoff-section").hidden = true;
  result.hidden = false;
}

/** The return URL of a full-page redirect: this page, remembering what to resume. */
function redirectReturnUrl(processor) {
  const url = new URL(location.href);
  for (const name of RETURN_PARAMS) url.searchParams.delete(name);
  url.searchParams.set("processor", processor);
  url.searchParams.set("display", "redirect");
  url.hash = "";
  return url.href;
}

/** Reads the object back on the merchant's server and shows how the payment ended. */
async function finishProcessorPayment(processor, id) {
  const readStep = step(`Retrieve the ${PROCESSORS[processor].name} (merchant server)`, `GET /demo-merchant/processors/${processor}/payments/${id}`);
  const { body: view } = await merchant(`/processors/${processor}/payments/${encodeURIComponent(id)}`);
  readStep(`status ${view.status}${view.charge ? ` · charge ${view.charge.status || "failed"}` : ""}`, !view.error);
  showCalls(view.calls);
  showProcessorResult(processor, view);
  if (processor === "stripe-sources" && view.id) await awaitWebhooks(view);
}

async function runProcessorPayment(processor) {
  const checkout = readCheckout();
  if (!checkout) return;
  const { pan, amount, mode, windowSize } = checkout;
  runStarted = Date.now();
  const returnUrl = mode === "redirect" ? redirectReturnUrl(processor) : client.returnUrl;

  const createStep = step(`Create the ${PROCESSORS[processor].name} (merchant server, secret key)`, `POST /demo-merchant/processors/${processor}/payments`);
  const { body: created } = await merchant(`/processors/${processor}/payments`, {
    pan, amount, currency: $("currency").value, return_url: returnUrl,
    capture: processor === "stripe" && $("manual-capture").checked ? "manual" : undefined,
  });
  createStep(created.error ? "refused by the processor" : `status ${created.status}`, !created.error);
  showCalls(created.calls);
  if (!created.redirect_url) {
    if (created.id) return finishProcessorPayment(processor, created.id);
    return showProcessorResult(processor, created);
  }

  if (mode === "redirect") {
    sessionStorage.setItem(RUN_KEY, JSON.stringify({ processor, id: created.id, runStarted }));
    step("Full-page redirect to the processor's page", created.redirect_url.split("?")[0]);
    await client.presentAuthentication({ url: created.redirect_url, mode: "redirect" });
    return new Promise(() => {}); // The page is leaving.
  }

  activeSource = processor === "stripe-sources" ? created.id : null;
  expiredByClock = false;
  $("advance-clock").hidden = !activeSource;
  $("stage-placeholder").hidden = mode === "inline";
  const pageStep = step("The processor's 3-D Secure page", `presentAuthentication({ mode: "${mode}", windowSize: "${windowSize}" })`);
  let id = created.id;
  try {
    const returned = await client.presentAuthentication({
      url: created.redirect_url,
      returnUrl: client.returnUrl,
      mode,
      windowSize,
      container: mode === "inline" ? $("challenge-slot") : undefined,
    });
    const shown = Object.entries(returned.params).filter(([name]) => !/secret/.test(name)).map(([k, v]) => `${k}=${v}`).join(" · ");
    pageStep(`returned: ${shown}`);
    id = returned.params.payment_intent || returned.params.source || returned.params["cko-session-id"] || id;
  } catch (error) {
    if (!(expiredByClock && error.code === "cancelled")) {
      pageStep(error.message, false);
      throw error;
    }
    pageStep("closed: the source expired on the test clock", false);
  } finally {
    $("stage-placeholder").hidden = false;
    $("advance-clock").hidden = true;
    activeSource = null;
  }
  await finishProcessorPayment(processor, id);
}

/** Back from a full-page redirect: the processor's query says which object to read. */
async function resumeFromRedirect(ThreeDS) {
  if (params.get("display") !== "redirect" || !PROCESSORS[params.get("processor")] || params.get("processor") === "sessions") return;
  const { params: returned } = ThreeDS.readReturn();
  const id = returned.payment_intent || returned.source || returned["cko-session-id"];
  if (!id) return;
  const processor = params.get("processor");
  const saved = JSON.parse(sessionStorage.getItem(RUN_KEY) || "null");
  sessionStorage.removeItem(RUN_KEY);
  $("processor").value = processor;
  form.elements.mode.value = "redirect";
  updatePickers();
  clearOutcome();
  runStarted = saved?.processor === processor ? saved.runStarted : Date.now();
  const shown = Object.entries(returned).filter(([name]) => !/secret/.test(name)).map(([k, v]) => `${k}=${v}`).join(" · ");
  note("Back from the processor's page (full-page redirect)", `ThreeDS.readReturn(): ${shown}`);
  // The return parameters leave the address: a reload does not resume again.
  const clean = new URL(location.href);
  for (const name of RETURN_PARAMS) clean.searchParams.delete(name);
  history.replaceState(null, "", clean.href);
  await finishProcessorPayment(processor, id);
}

function updatePickers() {
  const processor = $("processor").value;
  const sessions = processor === "sessions";
  $("processor-hint").textContent = PROCESSORS[processor].hint;
  $("redirect-choice").hidden = sessions;
  if (sessions && form.elements.mode.value === "redirect") form.elements.mode.value = "inline";
  $("decoupled-choice").hidden = !sessions;
  $("capture-choice").hidden = processor !== "stripe";
}

$("processor").addEventListener("change", updatePickers);

$("advance-clock").addEventListener("click", async () => {
  const id = activeSource;
  if (!id) return;
  const clockStep = step("Test clock: advance 1 hour (merchant server)", "POST /stripe-sources/v1/test_helpers/advance seconds=3600");
  try {
    const { body: view } = await merchant(`/processors/stripe-sources/payments/${encodeURIComponent(id)}/advance`, { seconds: 3600 });
    showCalls(view.calls);
    clockStep(`source ${view.status}`);
    if (view.status === "canceled" && activeSource === id) {
      // The source can no longer be authenticated: close its page.
      expiredByClock = true;
      client.cancel();
    }
  } catch (error) {
    clockStep(error.message, false);
  }
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!client || pay.disabled) return;
  clearOutcome();
  pay.disabled = true;
  form.setAttribute("aria-busy", "true");
  try {
    const processor = $("processor").value;
    if (processor === "sessions") await runPayment();
    else await runProcessorPayment(processor);
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

async function start() {
  preload({ hostUrl: HOST_URL });
  $("origins").replaceChildren(
    ...[["checkout", location.origin], ["SDK host", new URL(HOST_URL).origin], ["3DS Server", API]].map(([name, origin]) =>
      el("span", { className: "origin" }, el("b", { textContent: name }), ` ${origin}`)));
  updatePayLabel();
  updatePickers();
  try {
    await loadCards();
    runStarted = Date.now();
    const loading = step("Load the SDK", `ThreeDS.load({ hostUrl: "${HOST_URL}" }), its host frame started by preload() with the page`);
    client = await ThreeDS.load({ apiBaseUrl: API, publishableKey: PUBLISHABLE_KEY, hostUrl: HOST_URL });
    loading("the SDK host frame is ready");
    client.on("method-started", () => note("3DS Method started", "hidden iframe, threeDSMethodData posted to the ACS"));
    client.on("method-completed", (d) => note(`3DS Method completed: ${d.indicator}`, `${d.ms} ms`));
    client.on("challenge-shown", (d) => note(`Challenge shown at ${d.windowSize}`, `${d.width} × ${d.height} CSS pixels`));
    client.on("challenge-completed", (d) => note(`Challenge completed: ${d.transStatus}`));
    client.on("cancelled", (d) => note("Cancelled", d.message));
    await resumeFromRedirect(ThreeDS).catch((error) => showError("The payment could not be resumed:", error));
    pay.disabled = false;
    document.body.dataset.ready = "true";
  } catch (error) {
    showError("The demo could not start:", `${error.message || error}. Is the mock backend running at ${API}? (./x demo starts it.)`);
  }
}

start();
