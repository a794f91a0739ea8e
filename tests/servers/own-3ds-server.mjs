// An independent EMV 3DS Server with a fake ACS of its own, for the browser tests
// of the SDK's backend-agnostic API (runMethod, challenge). It shares no code with
// threeds-web or its mock: what it does is what any 3DS Server in any language
// must do to work with the SDK, the relay kit of the README.
//
//   node tests/servers/own-3ds-server.mjs --sdk-origin http://127.0.0.1:PORT
//
// Two origins (free ports): the 3DS Server and the ACS. It prints one line,
//   own-3ds-server listening: server=http://127.0.0.1:A acs=http://127.0.0.1:B
//
// 3DS Server (CORS open: the test page plays the merchant's backend too):
//   POST /transactions {kind}   a transaction as after the ARes: its IDs, the ACS's
//                               method and challenge URLs, a ready creq per size
//                               kind: "challenge" (CRes Y), "erro" (the ACS posts an
//                               Erro), "silent" (the method never notifies)
//   GET  /transactions/{id}     what reached this server (for assertions)
//   POST /method-notification   the ACS's form post -> 303 {sdk}/relay.html#fields
//   POST /challenge-notification  the final CRes (or Erro) -> a page that forwards to
//                               {sdk}/relay.html#fields (the README's faster answer)
// ACS:
//   POST /method                posts the notification back (unless "silent")
//   POST /challenge             a bank page that posts the final CRes after 300 ms
// Both ACS pages first report what their frame may use (Permissions Policy) to
// POST /features/{method|challenge}/{id}, shown by GET /transactions/{id}.
import { createServer } from "node:http";
import { randomUUID } from "node:crypto";

const sdkOrigin = process.argv[process.argv.indexOf("--sdk-origin") + 1];
if (!sdkOrigin || !/^https?:\/\//.test(sdkOrigin)) {
  console.error("usage: own-3ds-server.mjs --sdk-origin <origin of relay.html>");
  process.exit(2);
}

const b64url = (text) => Buffer.from(text).toString("base64url");
const unb64url = (text) => Buffer.from(text, "base64url").toString("utf8");
const html = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const transactions = new Map(); // threeDSServerTransID -> transaction
const byAcsId = new Map(); // acsTransID -> threeDSServerTransID

function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => {
      body += chunk;
      if (body.length > 65536) reject(new Error("too large"));
    });
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}

// A bank page that reports what its frame may use (Permissions Policy: payment,
// passkeys) to `report`, then posts `fields` to `action` after `delayMs`.
function autoPost(res, action, fields, delayMs, report) {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${html(name)}" value="${html(value)}">`)
    .join("");
  res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(`<!doctype html><meta charset="utf-8"><title>Own Bank</title><h1>Own Bank</h1>
<form id="f" method="post" action="${html(action)}">${inputs}</form>
<script>
var policy = document.featurePolicy || document.permissionsPolicy;
var features = { publicKeyCredential: typeof PublicKeyCredential, paymentRequest: typeof PaymentRequest };
["payment", "publickey-credentials-get", "publickey-credentials-create"].forEach(function (name) {
  features[name] = policy ? policy.allowsFeature(name) : null;
});
function submit() { setTimeout(function(){document.getElementById("f").submit()},${Number(delayMs)}); }
fetch(${JSON.stringify(report)}, { method: "POST", body: JSON.stringify(features) }).then(submit, submit);
</script>`);
}

// The relay: the SDK origin's relay page, the form fields in the fragment; by a 303,
// or by a page that forwards to it (both as the README writes them).
function relay(res, form, names, answer) {
  const fields = new URLSearchParams();
  for (const name of names) if (form.has(name)) fields.set(name, form.get(name));
  if (answer === "forward") {
    const url = `${sdkOrigin}/relay.html#${fields}`.replaceAll("&", "&amp;").replaceAll('"', "&quot;");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(`<!doctype html><a id="next" href="${url}">Continue</a><script>location.replace(document.getElementById("next").href)</script>`);
    return;
  }
  res.writeHead(303, { location: `${sdkOrigin}/relay.html#${fields}` });
  res.end();
}

function json(res, status, value) {
  res.writeHead(status, { "content-type": "application/json", "access-control-allow-origin": "*" });
  res.end(JSON.stringify(value));
}

function listen(handler) {
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      handler(req, res).catch(() => {
        res.writeHead(400);
        res.end();
      });
    });
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${server.address().port}`));
  });
}

let serverOrigin = "";
let acsOrigin = "";

serverOrigin = await listen(async (req, res) => {
  const url = new URL(req.url, serverOrigin);
  if (req.method === "OPTIONS") {
    res.writeHead(204, { "access-control-allow-origin": "*", "access-control-allow-headers": "content-type", "access-control-allow-methods": "GET, POST" });
    return res.end();
  }
  if (req.method === "POST" && url.pathname === "/transactions") {
    const { kind = "challenge", messageVersion = "2.2.0" } = JSON.parse((await readBody(req)) || "{}");
    const t = {
      kind,
      threeDSServerTransID: randomUUID(),
      acsTransID: randomUUID(),
      messageVersion,
      threeDSMethodURL: `${acsOrigin}/method`,
      notificationURL: `${serverOrigin}/method-notification`,
      acsURL: `${acsOrigin}/challenge`,
      challengeNotificationURL: `${serverOrigin}/challenge-notification`,
      seen: [],
      features: {},
    };
    t.creq = {};
    for (const size of ["01", "02", "03", "04", "05"]) {
      t.creq[size] = b64url(JSON.stringify({
        messageType: "CReq", messageVersion, threeDSServerTransID: t.threeDSServerTransID,
        acsTransID: t.acsTransID, challengeWindowSize: size,
      }));
    }
    t.threeDSMethodData = b64url(JSON.stringify({ threeDSServerTransID: t.threeDSServerTransID, threeDSMethodNotificationURL: t.notificationURL }));
    transactions.set(t.threeDSServerTransID, t);
    byAcsId.set(t.acsTransID, t.threeDSServerTransID);
    return json(res, 201, t);
  }
  if (req.method === "GET" && url.pathname.startsWith("/transactions/")) {
    const t = transactions.get(url.pathname.slice("/transactions/".length));
    return t ? json(res, 200, { seen: t.seen, features: t.features }) : json(res, 404, { error: "unknown" });
  }
  // A bank page's report of what its frame may use: /features/{frame}/{id}.
  const features = url.pathname.match(/^\/features\/(method|challenge)\/([0-9a-f-]{36})$/);
  if (req.method === "POST" && features) {
    const t = transactions.get(features[2]);
    if (t) t.features[features[1]] = JSON.parse(await readBody(req));
    return json(res, 200, {});
  }
  if (req.method === "POST" && url.pathname === "/method-notification") {
    const form = new URLSearchParams(await readBody(req));
    const data = JSON.parse(unb64url(form.get("threeDSMethodData") || ""));
    transactions.get(data.threeDSServerTransID)?.seen.push("method-notification");
    return relay(res, form, ["threeDSMethodData"], "303");
  }
  if (req.method === "POST" && url.pathname === "/challenge-notification") {
    const form = new URLSearchParams(await readBody(req));
    const message = JSON.parse(unb64url(form.get("cres") || ""));
    transactions.get(message.threeDSServerTransID)?.seen.push(`challenge-notification ${message.messageType}`);
    return relay(res, form, ["cres", "threeDSSessionData"], "forward");
  }
  res.writeHead(404);
  res.end();
});

acsOrigin = await listen(async (req, res) => {
  const url = new URL(req.url, acsOrigin);
  if (req.method === "POST" && url.pathname === "/method") {
    const form = new URLSearchParams(await readBody(req));
    const data = JSON.parse(unb64url(form.get("threeDSMethodData") || ""));
    const t = transactions.get(data.threeDSServerTransID);
    if (!t || t.kind === "silent") {
      res.writeHead(200, { "content-type": "text/html" });
      return res.end("<!doctype html><title>Own Bank</title>");
    }
    const notification = b64url(JSON.stringify({ threeDSServerTransID: t.threeDSServerTransID }));
    return autoPost(res, data.threeDSMethodNotificationURL, { threeDSMethodData: notification }, 0, `${serverOrigin}/features/method/${t.threeDSServerTransID}`);
  }
  if (req.method === "POST" && url.pathname === "/challenge") {
    const form = new URLSearchParams(await readBody(req));
    const creq = JSON.parse(unb64url(form.get("creq") || ""));
    const t = transactions.get(byAcsId.get(creq.acsTransID));
    if (!t || t.threeDSServerTransID !== creq.threeDSServerTransID) {
      res.writeHead(400);
      return res.end("unknown transaction");
    }
    t.seen.push(`creq ${creq.challengeWindowSize}`);
    const ids = { messageVersion: t.messageVersion, threeDSServerTransID: t.threeDSServerTransID, acsTransID: t.acsTransID };
    const result = t.kind === "erro"
      ? { messageType: "Erro", ...ids, errorCode: "403", errorComponent: "A", errorDescription: "Transient system failure", errorDetail: "own ACS", errorMessageType: "CReq" }
      : { messageType: "CRes", ...ids, challengeCompletionInd: "Y", transStatus: "Y" };
    const fields = { cres: b64url(JSON.stringify(result)) };
    if (form.has("threeDSSessionData")) fields.threeDSSessionData = form.get("threeDSSessionData");
    return autoPost(res, t.challengeNotificationURL, fields, 300, `${serverOrigin}/features/challenge/${t.threeDSServerTransID}`);
  }
  res.writeHead(404);
  res.end();
});

console.log(`own-3ds-server listening: server=${serverOrigin} acs=${acsOrigin}`);
