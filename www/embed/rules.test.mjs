// The embed's pure rules: options, messages, routing, the spare frame, sizes and
// locales. Run with `node --test www/embed/`.

import { test } from "node:test";
import assert from "node:assert/strict";

import {
  CHALLENGE_TIMEOUT_MS, ERROR_CODES, Flows, LOAD_FLOW, MAX_TIMEOUT_MS, METHOD_MARGIN_MS, METHOD_TIMEOUT_MS,
  PROTOCOL, READY_TIMEOUT_MS, SESSION_MARGIN_MS, STRINGS, VERSION, WINDOW_SIZES, Warm,
  backgroundTimeouts, callCommand, callOptions, cancelCommand, checkUrl, chooseSize, describe, fields,
  helloCommand, largestFitting, loadOptions, pickMode, pickStrings, readReport, route, serves, urlProblem,
} from "./rules.js";

/** Asserts that `run` throws an `invalid_argument` error with exactly `message`. */
function throwsInvalid(run, message) {
  assert.throws(run, (failure) => {
    assert.equal(failure.code, "invalid_argument");
    assert.equal(failure.message, message);
    return true;
  });
}

const HTTPS_ONLY = " must be an https URL (http only on localhost, 127.0.0.1 or [::1])";
const NOT_HTTP = " must be an absolute http(s) URL";
const API = { apiBaseUrl: "https://api.example", publishableKey: "pk_test_1" };

// ---- Flows -----------------------------------------------------------------------

test("Flows: a flow ends once, and only numbered flows count as settled", () => {
  const flows = new Flows();
  const id = flows.nextId();
  assert.equal(id, LOAD_FLOW + 1);
  flows.insert(id, "create-session");
  assert.equal(flows.remove(id), "create-session");
  assert.equal(flows.remove(id), undefined, "a second completion finds nothing to settle");
  assert.equal(flows.settled(id), true);
  assert.equal(flows.settled(id + 1), false, "a flow not numbered yet has not settled");
});

test("Flows: load does not make the client busy, any other flow does", () => {
  const flows = new Flows();
  flows.insert(LOAD_FLOW, "load");
  assert.equal(flows.busy(), false);
  const id = flows.nextId();
  flows.insert(id, "challenge");
  assert.equal(flows.busy(), true);
  assert.equal(flows.settled(LOAD_FLOW), false);
  flows.remove(LOAD_FLOW);
  assert.equal(flows.settled(LOAD_FLOW), true);
  assert.deepEqual(flows.ids(), [id]);
});

test("Flows: inserting a number again replaces the flow", () => {
  const flows = new Flows();
  flows.insert(3, { name: "old" });
  flows.insert(3, { name: "new" });
  assert.equal(flows.entries().length, 1);
  assert.equal(flows.get(3).name, "new");
  flows.get(3).name = "changed";
  assert.deepEqual(flows.get(3), { name: "changed" });
});

test("Flows: numbers are handed out in order and never reused", () => {
  const flows = new Flows();
  assert.deepEqual([flows.nextId(), flows.nextId(), flows.nextId()], [1, 2, 3]);
  flows.insert(2, "x");
  flows.remove(2);
  assert.equal(flows.nextId(), 4);
});

// ---- Routing ---------------------------------------------------------------------

const HOST = "http://127.0.0.1:8183";

/**
 * A client with `load` done, a session flow on the background frame (1) and a
 * challenge flow whose frame waits for its command (2); the value is "awaits its command".
 */
function client() {
  const flows = new Flows();
  const [session, challenge] = [flows.nextId(), flows.nextId()];
  flows.insert(session, false);
  flows.insert(challenge, true);
  return flows;
}

const from = (fromBackground, fromFlows) => ({ origin: HOST, fromBackground, fromFlows, fromWarm: false });
const fromWarm = () => ({ origin: HOST, fromBackground: false, fromFlows: [], fromWarm: true });
const routeOf = (sender, report, flows, backgroundReady) =>
  route(sender, HOST, () => report, flows, backgroundReady, (awaits) => awaits);
const READY = { kind: "ready" };
const completion = (flow) => ({ kind: "failed", flow, code: "network", message: "m", acs: undefined });
const ignore = (kind, detail) => ({ route: "ignore", why: { ignored: kind, detail } });

test("route: the sender is checked before the content, which a stranger's message never reaches", () => {
  const flows = client();
  const evil = { origin: "http://evil.example", fromBackground: true, fromFlows: [1], fromWarm: false };
  const decode = () => assert.fail("a message from a stranger is not decoded");
  assert.deepEqual(route(evil, HOST, decode, flows, true, (a) => a), ignore("origin", "http://evil.example"));
  assert.deepEqual(route(from(false, []), HOST, decode, flows, true, (a) => a), ignore("source"));
});

test("route: an unexpected origin is reported cut to its first 100 characters", () => {
  const origin = "https://" + "a".repeat(150) + ".example";
  const routed = route({ ...from(true, [1]), origin }, HOST, () => READY, client(), true, (a) => a);
  assert.deepEqual(routed, ignore("origin", origin.slice(0, 100)));
  assert.equal(routed.why.detail.length, 100);
});

test("route: the origin must match exactly (scheme, host and port)", () => {
  const flows = client();
  for (const origin of ["https://127.0.0.1:8183", "http://127.0.0.1:8184", "http://localhost:8183", HOST + "/"]) {
    assert.deepEqual(routeOf({ ...from(true, [1]), origin }, completion(1), flows, true), ignore("origin", origin), origin);
  }
});

test("route: foreign, version and malformed messages are ignored as decoded", () => {
  const flows = client();
  for (const why of [{ ignored: "foreign", detail: undefined }, { ignored: "version", detail: 9 }, { ignored: "malformed", detail: "kind" }]) {
    assert.deepEqual(routeOf(from(true, [1]), why, flows, true), { route: "ignore", why });
  }
});

test("route: ready resolves load once, then only releases a pending command", () => {
  const flows = client();
  flows.insert(LOAD_FLOW, false);
  assert.deepEqual(routeOf(from(true, [LOAD_FLOW, 1]), READY, flows, false), { route: "loaded" });
  assert.deepEqual(routeOf(from(true, [1]), READY, flows, true), ignore("duplicate"));
  assert.deepEqual(routeOf(from(false, [2]), READY, flows, true), { route: "send", flow: 2 });
  flows.insert(2, false);
  assert.deepEqual(routeOf(from(false, [2]), READY, flows, true), ignore("duplicate"));
});

test("route: a report applies only from its own flow's frame", () => {
  const flows = client();
  assert.deepEqual(routeOf(from(true, [1]), completion(1), flows, true), { route: "apply", flow: 1, report: completion(1) });
  assert.deepEqual(routeOf(from(false, [2]), completion(1), flows, true), ignore("other-flow"));
  assert.deepEqual(routeOf(from(true, [1]), completion(7), flows, true), ignore("other-flow"), "never numbered here");
  flows.remove(1);
  assert.deepEqual(routeOf(from(true, []), completion(1), flows, true), ignore("duplicate"), "settled already");
  assert.deepEqual(routeOf(from(false, [2]), completion(1), flows, true), ignore("duplicate"));
});

test("route: from the spare frame only ready counts", () => {
  const flows = client();
  assert.deepEqual(routeOf(fromWarm(), READY, flows, true), { route: "warm-ready" });
  // Any flow's report, live, settled or never numbered: as from an unknown window.
  const settled = client();
  settled.remove(1);
  for (const report of [completion(1), completion(2), completion(7), { kind: "event", flow: 2, name: "method-started", detail: { flow: 2 } }]) {
    assert.deepEqual(routeOf(fromWarm(), report, flows, true), ignore("source"));
    assert.deepEqual(routeOf(fromWarm(), report, settled, true), ignore("source"));
  }
  // What is not a well-formed report of ours is ignored for that, as from any known frame.
  const foreign = { ignored: "foreign", detail: undefined };
  assert.deepEqual(routeOf(fromWarm(), foreign, flows, true), { route: "ignore", why: foreign });
  // Before the background frame said ready, the spare's ready still is not load's.
  assert.deepEqual(routeOf(fromWarm(), READY, flows, false), { route: "warm-ready" });
  // The origin is checked first, exactly.
  const evil = { ...fromWarm(), origin: "http://127.0.0.1:8184" };
  assert.deepEqual(routeOf(evil, READY, flows, true), ignore("origin", "http://127.0.0.1:8184"));
});

test("route: a decoded report from the wire routes to its flow", () => {
  const flows = client();
  const data = { protocol: PROTOCOL, version: VERSION, kind: "challenge-shown", flow: 2 };
  const routed = route(from(false, [2]), HOST, () => readReport(data), flows, true, (a) => a);
  assert.deepEqual(routed, { route: "apply", flow: 2, report: { kind: "challenge-shown", flow: 2 } });
});

// ---- The spare frame -------------------------------------------------------------

test("Warm: a spare is wanted when there is none and the client lives", () => {
  const warm = new Warm();
  assert.equal(warm.wanted(false), true);
  assert.equal(warm.wanted(true), false, "never while destroyed");
  warm.boot("spare");
  assert.equal(warm.wanted(false), false, "one at most");
  assert.equal(warm.take(), "spare");
  assert.equal(warm.wanted(false), true);
  assert.equal(warm.take(), null);
});

test("Warm: only a ready spare is handed over", () => {
  const warm = new Warm();
  assert.equal(warm.handOver(() => assert.fail("no spare to move")), null);
  warm.boot("spare");
  assert.equal(warm.handOver(() => assert.fail("a booting spare is not moved")), null);
  assert.equal(warm.frame, "spare", "it stays for next time");
  warm.setReady();
  assert.equal(warm.handOver((frame) => frame === "spare"), "spare");
  assert.equal(warm.frame, null, "the challenge owns it now");
  assert.equal(warm.wanted(false), true);
});

test("Warm: a spare that cannot be moved stays ready", () => {
  const warm = new Warm();
  warm.boot("spare");
  warm.setReady();
  assert.equal(warm.handOver(() => false), null, "no moveBefore, or it threw");
  assert.equal(warm.handOver(() => true), "spare", "still ready for the next challenge");
});

test("Warm: a new spare starts unready", () => {
  const warm = new Warm();
  warm.setReady();
  warm.boot("first");
  assert.equal(warm.handOver(() => true), null, "a ready before any spare does not count");
  warm.setReady();
  warm.take();
  warm.boot("second");
  assert.equal(warm.handOver(() => true), null, "the last spare's ready does not carry over");
});

// ---- Options ---------------------------------------------------------------------

test("loadOptions: the publishable key is required and never a secret key", () => {
  const load = (publishableKey) => loadOptions({ apiBaseUrl: "https://api.example", publishableKey });
  assert.equal(load("pk_test").publishableKey, "pk_test");
  throwsInvalid(() => load(""), "publishableKey is required");
  throwsInvalid(() => load("sk_test_x"), "publishableKey: a secret key must never reach a browser");
  throwsInvalid(() => load(undefined), "ThreeDS.load options: publishableKey is required");
  throwsInvalid(() => load(42), "ThreeDS.load options: publishableKey must be a string");
});

test("loadOptions: apiBaseUrl is required and must be https off loopback", () => {
  throwsInvalid(() => loadOptions({ publishableKey: "pk_test" }), "ThreeDS.load options: apiBaseUrl is required");
  throwsInvalid(() => loadOptions({ apiBaseUrl: null, publishableKey: "pk_test" }), "ThreeDS.load options: apiBaseUrl is required");
  throwsInvalid(() => loadOptions({ apiBaseUrl: "http://api.example", publishableKey: "pk_test" }), "apiBaseUrl" + HTTPS_ONLY);
  throwsInvalid(() => loadOptions({ apiBaseUrl: "/api", publishableKey: "pk_test" }), "apiBaseUrl" + NOT_HTTP);
  assert.equal(loadOptions({ apiBaseUrl: "http://127.0.0.1:8181", publishableKey: "pk_test" }).apiBaseUrl, "http://127.0.0.1:8181");
});

test("loadOptions: the options must be an object; what is left out takes its default", () => {
  for (const value of [undefined, null, "pk_test", 42]) {
    throwsInvalid(() => loadOptions(value), "ThreeDS.load options must be an object");
  }
  assert.deepEqual(loadOptions({ apiBaseUrl: "https://api.example", publishableKey: "pk_test" }), {
    apiBaseUrl: "https://api.example",
    publishableKey: "pk_test",
    hostUrl: undefined,
    readyTimeoutMs: READY_TIMEOUT_MS,
    locale: undefined,
  });
  const given = loadOptions({ apiBaseUrl: "https://api.example", publishableKey: "pk_test", hostUrl: "/h.html", readyTimeoutMs: 0, locale: "de" });
  assert.deepEqual([given.hostUrl, given.readyTimeoutMs, given.locale], ["/h.html", 0, "de"]);
  throwsInvalid(
    () => loadOptions({ apiBaseUrl: "https://api.example", publishableKey: "pk_test", readyTimeoutMs: -1 }),
    "ThreeDS.load options: readyTimeoutMs must be a whole number of milliseconds, at most 86400000",
  );
});

test("urlProblem: URLs are https, except http on loopback", () => {
  for (const [protocol, host] of [["https:", "api.example"], ["http:", "localhost"], ["http:", "127.0.0.1"], ["http:", "[::1]"]]) {
    assert.equal(urlProblem(protocol, host), null, protocol + host);
  }
  for (const host of ["api.example", "localhost.evil.example", "127.0.0.2", "[::2]", "127.0.0.1.nip.io"]) {
    assert.equal(urlProblem("http:", host), HTTPS_ONLY, host);
  }
  for (const protocol of ["javascript:", "data:", "file:", "blob:"]) {
    assert.equal(urlProblem(protocol, ""), NOT_HTTP, protocol);
  }
});

test("checkUrl: gives the URL's origin, or throws naming the option", () => {
  assert.equal(checkUrl("apiBaseUrl", "https://API.example:443/v1/sessions?x=1#y"), "https://api.example");
  assert.equal(checkUrl("hostUrl", "https://sdk.example:8443/host.html"), "https://sdk.example:8443");
  assert.equal(checkUrl("hostUrl", "http://[::1]:8183/host.html"), "http://[::1]:8183");
  assert.equal(checkUrl("hostUrl", "http://localhost/host.html"), "http://localhost");
  throwsInvalid(() => checkUrl("hostUrl", "http://sdk.example/host.html"), "hostUrl" + HTTPS_ONLY);
  throwsInvalid(() => checkUrl("hostUrl", "host.html"), "hostUrl" + NOT_HTTP);
  throwsInvalid(() => checkUrl("apiBaseUrl", "javascript:alert(1)"), "apiBaseUrl" + NOT_HTTP);
  throwsInvalid(() => checkUrl("apiBaseUrl", "ftp://api.example/"), "apiBaseUrl" + NOT_HTTP);
});

test("backgroundTimeouts: the session watchdog never overflows a browser timer", () => {
  const session = (method, timeout) => backgroundTimeouts("createSession", method, timeout, 1);
  assert.deepEqual(session(undefined, undefined), [METHOD_TIMEOUT_MS, METHOD_TIMEOUT_MS + SESSION_MARGIN_MS]);
  assert.deepEqual(session(5, 300), [5, 300]);
  assert.ok(session(MAX_TIMEOUT_MS, undefined)[1] <= 2 ** 31 - 1, "a browser timer fires at once past 2^31 - 1");
  assert.ok(backgroundTimeouts("runMethod", undefined, MAX_TIMEOUT_MS, 1)[1] <= 2 ** 31 - 1);
  assert.deepEqual(backgroundTimeouts("runMethod", undefined, 200, 1), [200, 200 + METHOD_MARGIN_MS]);
  assert.deepEqual(backgroundTimeouts("runMethod", undefined, undefined, 1), [METHOD_TIMEOUT_MS, METHOD_TIMEOUT_MS + METHOD_MARGIN_MS]);
  assert.equal(backgroundTimeouts("collectBrowserInfo", undefined, undefined, 3000)[1], 3000, "the ready wait");
});

test("pickMode: the mode follows the container unless given", () => {
  assert.equal(pickMode(undefined, true), "inline");
  assert.equal(pickMode(undefined, false), "modal");
  assert.equal(pickMode("modal", true), "modal");
  assert.equal(pickMode("inline", false), "inline");
  throwsInvalid(() => pickMode("popup", true), 'mode must be "inline" or "modal", not "popup"');
  assert.equal(callOptions({}, "startChallenge", API).display.windowSize, "auto");
});

test("fields().millis: a whole number of milliseconds from 0 to a day", () => {
  const read = (timeoutMs) => fields({ timeoutMs }, "challenge").millis("timeoutMs");
  const message = "challenge: timeoutMs must be a whole number of milliseconds, at most 86400000";
  assert.equal(read(0), 0);
  assert.equal(read(CHALLENGE_TIMEOUT_MS), CHALLENGE_TIMEOUT_MS);
  assert.equal(read(MAX_TIMEOUT_MS), MAX_TIMEOUT_MS);
  assert.equal(read(undefined), undefined);
  assert.equal(read(null), undefined, "null counts as left out");
  for (const bad of [1.5, -1, MAX_TIMEOUT_MS + 1, NaN, Infinity, "1000", true]) {
    throwsInvalid(() => read(bad), message);
  }
});

test("fields: strings must be strings, required ones present, and the source an object", () => {
  const read = fields({ a: "x", n: 1, z: null }, "runMethod");
  assert.equal(read.string("a"), "x");
  assert.equal(read.string("z"), undefined);
  assert.equal(read.string("missing"), undefined);
  throwsInvalid(() => read.string("n"), "runMethod: n must be a string");
  throwsInvalid(() => read.requiredString("z"), "runMethod: z is required");
  throwsInvalid(() => fields(() => {}, "runMethod"), "runMethod must be an object");
});

test("callOptions: container stays with the embed, and the page's object is unchanged", () => {
  // A container may hold circular references (React's elements do).
  const container = { tagName: "DIV" };
  container.self = container;
  const page = { container, windowSize: "03", mode: "inline", timeoutMs: 1000, note: "é" };
  const read = callOptions(page, "challenge", API);
  assert.deepEqual(JSON.parse(read.json), { windowSize: "03", mode: "inline", timeoutMs: 1000, note: "é" });
  assert.deepEqual(read.display, { windowSize: "03", mode: "inline", timeoutMs: 1000 });
  assert.equal(read.methodTimeoutMs, undefined);
  assert.deepEqual(Object.keys(page), ["container", "windowSize", "mode", "timeoutMs", "note"]);
  assert.equal(page.container, container);
  assert.equal("apiBaseUrl" in page, false);
});

test("callOptions: the api fields are added for createSession and startChallenge only", () => {
  for (const call of ["createSession", "startChallenge"]) {
    const page = { pan: "4000020000000000" };
    assert.deepEqual(JSON.parse(callOptions(page, call, API).json), { pan: "4000020000000000", ...API }, call);
    assert.deepEqual(page, { pan: "4000020000000000" }, call + ": the page's object is unchanged");
  }
  for (const call of ["runMethod", "challenge", "presentAuthentication", "collectBrowserInfo"]) {
    assert.deepEqual(JSON.parse(callOptions({ x: 1 }, call, API).json), { x: 1 }, call);
  }
});

test("callOptions: reads methodTimeoutMs and checks the display fields, naming the call", () => {
  assert.equal(callOptions({ methodTimeoutMs: 2500 }, "createSession", API).methodTimeoutMs, 2500);
  throwsInvalid(
    () => callOptions({ methodTimeoutMs: -5 }, "createSession", API),
    "createSession: methodTimeoutMs must be a whole number of milliseconds, at most 86400000",
  );
  throwsInvalid(() => callOptions({ windowSize: 3 }, "startChallenge", API), "startChallenge: windowSize must be a string");
  throwsInvalid(() => callOptions({ mode: true }, "challenge", API), "challenge: mode must be a string");
  throwsInvalid(() => callOptions(null, "runMethod", API), "runMethod must be an object");
});

test("callOptions: options that cannot be written as JSON are an invalid argument", () => {
  const cyclic = { a: 1 };
  cyclic.self = cyclic;
  throwsInvalid(() => callOptions(cyclic, "runMethod", API), "runMethod options cannot be written as JSON");
  throwsInvalid(() => callOptions({ amount: 10n }, "createSession", API), "createSession options cannot be written as JSON");
  throwsInvalid(() => callOptions({ toJSON: () => undefined }, "challenge", API), "challenge options cannot be written as JSON");
});

// ---- Challenge sizes -------------------------------------------------------------

test("largestFitting: picks by area, at the edges", () => {
  assert.equal(largestFitting(249, 400), "05");
  assert.equal(largestFitting(250, 400), "01");
  assert.equal(largestFitting(389, 1000), "01");
  assert.equal(largestFitting(390, 400), "02");
  assert.equal(largestFitting(500, 599), "02");
  assert.equal(largestFitting(500, 600), "03");
  // 600x400 (240 000 px) is smaller than 500x600 (300 000 px).
  assert.equal(largestFitting(600, 600), "03");
  assert.equal(largestFitting(600, 400), "04");
  assert.equal(largestFitting(1920, 399), "05");
});

test("chooseSize: a spec code is taken as given, an unknown code is null", () => {
  for (const code of Object.keys(WINDOW_SIZES)) {
    assert.equal(chooseSize(code, "modal", [100, 100], undefined), code, code);
  }
  assert.deepEqual(Object.keys(WINDOW_SIZES), ["01", "02", "03", "04", "05"]);
  for (const code of ["06", "1", "", "AUTO", "toString", "__proto__"]) {
    assert.equal(chooseSize(code, "modal", [1920, 1080], undefined), null, code);
  }
});

test("chooseSize: modal auto leaves the margins and the Cancel bar out of the viewport", () => {
  // 500x600 needs 500 + 2*16 wide and 600 + 2*16 + 40 high.
  assert.equal(chooseSize("auto", "modal", [532, 672], undefined), "03");
  assert.equal(chooseSize("auto", "modal", [531, 672], undefined), "02");
  assert.equal(chooseSize("auto", "modal", [532, 671], undefined), "02");
  assert.equal(chooseSize("auto", "modal", [532.9, 672.5], undefined), "03", "fractional viewports round down");
  assert.equal(chooseSize("auto", "modal", [531.9, 672], undefined), "02", "fractional viewports round down");
  assert.equal(chooseSize("auto", "modal", [281, 472], undefined), "05");
  assert.equal(chooseSize("auto", "modal", [0, 0], undefined), "05");
  assert.equal(chooseSize("auto", "modal", [532, 672], [250, 400]), "03", "a modal ignores the container");
  assert.equal(chooseSize("auto", "inline", [532, 672], undefined), "03", "inline without a container: as a modal");
});

test("chooseSize: inline auto fits the container, less the Cancel bar", () => {
  assert.equal(chooseSize("auto", "inline", [1920, 1080], [500, 640]), "03");
  assert.equal(chooseSize("auto", "inline", [1920, 1080], [500, 639]), "02");
  assert.equal(chooseSize("auto", "inline", [1920, 1080], [249, 640]), "05");
  assert.equal(chooseSize("auto", "inline", [1920, 1080], [-10, 640]), "05");
});

test("chooseSize: an inline container without its own height is bounded by the viewport", () => {
  assert.equal(chooseSize("auto", "inline", [1024, 640], [600, 0]), "03", "viewport height 640 less the bar");
  assert.equal(chooseSize("auto", "inline", [1024, 480], [600, 0]), "04");
  assert.equal(chooseSize("auto", "inline", [1024, 439], [600, 0]), "05");
});

// ---- Locales ---------------------------------------------------------------------

test("pickStrings: the first language spoken wins, and English is the fallback", () => {
  assert.equal(pickStrings(["fr-CA", "de"]).cancel, "Annuler");
  assert.equal(pickStrings(["ja", "pt_BR"]).tag, "pt");
  assert.equal(pickStrings(["DE"]).cancel, "Abbrechen");
  assert.equal(pickStrings(["ja", "zh-Hant"]).tag, "en");
  assert.equal(pickStrings([]).tag, "en");
  assert.equal(pickStrings([""]).tag, "en");
  assert.equal(pickStrings(["nl-BE"]).tag, "nl");
  assert.deepEqual(pickStrings(["es-419"]), { tag: "es", dialogLabel: "Verificación de la tarjeta", cancel: "Cancelar" });
  assert.equal(pickStrings(["english"]).tag, "en", "the whole primary subtag must match");
  assert.equal(pickStrings(["frx", "it"]).tag, "it");
});

test("STRINGS: every locale has every string", () => {
  assert.deepEqual(STRINGS.map((s) => s.tag), ["en", "de", "fr", "es", "it", "nl", "pl", "pt"]);
  for (const strings of STRINGS) {
    for (const text of [strings.dialogLabel, strings.cancel]) {
      assert.equal(typeof text, "string", strings.tag);
      assert.notEqual(text.trim(), "", strings.tag);
    }
  }
});

test("serves: a started frame serves the same page in the same picked locale", () => {
  const page = "https://sdk.example/host.html";
  assert.equal(serves(page, "fr-CA", page, "fr"), true, "the language the host page picks");
  assert.equal(serves(page, "ja", page, "en"), true, "an unspoken language is English on both sides");
  assert.equal(serves(page, "de", page, "fr"), false, "another locale: the host page would speak German");
  assert.equal(serves("https://sdk.example/other/host.html", "fr", page, "fr"), false, "another page");
  assert.equal(serves("https://sdk.example/host.html?v=2", "fr", page, "fr"), false, "another query");
  assert.equal(serves(page, "", page, "en"), true, "a declared frame without a locale speaks English");
});

// ---- Commands --------------------------------------------------------------------

test("helloCommand and cancelCommand: the envelope and the kind", () => {
  assert.deepEqual(helloCommand(), { protocol: "threeds-web", version: 2, kind: "hello" });
  assert.deepEqual(cancelCommand(0), { protocol: "threeds-web", version: 2, kind: "cancel", flow: 0 });
  assert.deepEqual(cancelCommand(2 ** 32 - 1), { protocol: "threeds-web", version: 2, kind: "cancel", flow: 2 ** 32 - 1 });
});

test("callCommand: windowSize is written only when given", () => {
  const options = '{"pan":"4000020000000000"}';
  const background = callCommand(1, "createSession", options, undefined, 10_000);
  assert.deepEqual(background, {
    protocol: "threeds-web", version: 2, kind: "call", flow: 1, call: "createSession", options, methodTimeoutMs: 10_000,
  });
  assert.equal(Object.hasOwn(background, "windowSize"), false);
  assert.deepEqual(callCommand(8, "presentAuthentication", "{}", "04", 0), {
    protocol: "threeds-web", version: 2, kind: "call", flow: 8, call: "presentAuthentication", options: "{}", windowSize: "04", methodTimeoutMs: 0,
  });
});

// ---- Reports ---------------------------------------------------------------------

const wire = (body) => ({ protocol: PROTOCOL, version: VERSION, ...body });
const malformed = (field) => ({ ignored: "malformed", detail: field + " is missing or of the wrong type" });

test("readReport: ready needs no flow", () => {
  assert.deepEqual(readReport(wire({ kind: "ready" })), { kind: "ready" });
});

test("readReport: events are the 3DS Method's progress, with their detail", () => {
  const started = wire({ kind: "event", flow: 1, name: "method-started", detail: { flow: 1 } });
  assert.deepEqual(readReport(started), { kind: "event", flow: 1, name: "method-started", detail: { flow: 1 } });
  const completed = wire({ kind: "event", flow: 1, name: "method-completed", detail: { flow: 1, indicator: "N", ms: 10_000 } });
  assert.deepEqual(readReport(completed), { kind: "event", flow: 1, name: "method-completed", detail: { flow: 1, indicator: "N", ms: 10_000 } });
  assert.deepEqual(readReport(wire({ kind: "event", flow: 1, name: "challenge-completed", detail: {} })), malformed("name"), "only progress events");
  assert.deepEqual(readReport(wire({ kind: "event", flow: 1, detail: {} })), malformed("name"));
  assert.deepEqual(readReport(wire({ kind: "event", flow: 1, name: "method-started" })), malformed("detail"));
  assert.deepEqual(readReport(wire({ kind: "event", flow: 1, name: "method-started", detail: "x" })), malformed("detail"));
  assert.deepEqual(readReport(wire({ kind: "event", flow: 1, name: "method-started", detail: null })), malformed("detail"));
});

test("readReport: challenge-shown and cancel-requested carry only their flow", () => {
  assert.deepEqual(readReport(wire({ kind: "challenge-shown", flow: 2 })), { kind: "challenge-shown", flow: 2 });
  assert.deepEqual(readReport(wire({ kind: "cancel-requested", flow: 2, extra: 1 })), { kind: "cancel-requested", flow: 2 });
});

test("readReport: resolved carries an object value and, optionally, its page event", () => {
  const value = { sessionId: "sess_1", transStatus: "Y" };
  assert.deepEqual(readReport(wire({ kind: "resolved", flow: 3, value })), { kind: "resolved", flow: 3, value, event: undefined });
  assert.deepEqual(readReport(wire({ kind: "resolved", flow: 3, value, event: null })), { kind: "resolved", flow: 3, value, event: undefined });
  for (const event of ["challenge-completed", "returned"]) {
    assert.deepEqual(readReport(wire({ kind: "resolved", flow: 3, value, event })), { kind: "resolved", flow: 3, value, event });
  }
  for (const event of ["method-started", "", 1]) {
    assert.deepEqual(readReport(wire({ kind: "resolved", flow: 3, value, event })), malformed("event"), String(event));
  }
  assert.deepEqual(readReport(wire({ kind: "resolved", flow: 3, value: "a string" })), malformed("value"));
  assert.deepEqual(readReport(wire({ kind: "resolved", flow: 3 })), malformed("value"));
});

test("readReport: failed carries a known error code and a message", () => {
  for (const code of ERROR_CODES) {
    const message = `"${code}" ✓`;
    assert.deepEqual(readReport(wire({ kind: "failed", flow: 3, code, message })), { kind: "failed", flow: 3, code, message, acs: undefined });
  }
  assert.deepEqual(readReport(wire({ kind: "failed", flow: 3, code: "teapot", message: "m" })), malformed("code"));
  assert.deepEqual(readReport(wire({ kind: "failed", flow: 3, code: "Network", message: "m" })), malformed("code"));
  assert.deepEqual(readReport(wire({ kind: "failed", flow: 3, message: "m" })), malformed("code"));
  assert.deepEqual(readReport(wire({ kind: "failed", flow: 3, code: "network" })), malformed("message"));
});

test("readReport: an acs_error's Erro fields are read, a missing part as an empty string", () => {
  const full = wire({
    kind: "failed", flow: 5, code: "acs_error", message: "the ACS ended the challenge with an error",
    errorCode: "403", errorComponent: "A", errorDescription: 'Transient "failure" é',
  });
  assert.deepEqual(readReport(full).acs, { errorCode: "403", errorComponent: "A", errorDescription: 'Transient "failure" é' });
  const partial = wire({ kind: "failed", flow: 5, code: "acs_error", message: "m", errorCode: "403", errorComponent: 7 });
  assert.deepEqual(readReport(partial).acs, { errorCode: "403", errorComponent: "", errorDescription: "" });
  const none = wire({ kind: "failed", flow: 5, code: "acs_error", message: "m", errorComponent: "A", errorDescription: "d" });
  assert.equal(readReport(none).acs, undefined, "no errorCode, no Erro");
});

test("readReport: not ours is foreign; another version is named; no version is malformed", () => {
  for (const data of [undefined, null, "threeds-web", 2, { kind: "ready" }, { protocol: "other", version: VERSION, kind: "ready" }]) {
    assert.deepEqual(readReport(data), { ignored: "foreign", detail: undefined }, JSON.stringify(data));
  }
  assert.deepEqual(readReport({ protocol: PROTOCOL, version: 1, kind: "ready" }), { ignored: "version", detail: 1 });
  assert.deepEqual(readReport({ protocol: PROTOCOL, version: 0, kind: "ready" }), { ignored: "version", detail: 0 });
  assert.deepEqual(readReport({ protocol: PROTOCOL, version: 255, kind: "ready" }), { ignored: "version", detail: 255 });
  for (const version of [undefined, "2", 2.5, -1, 256]) {
    assert.deepEqual(readReport({ protocol: PROTOCOL, version, kind: "ready" }), { ignored: "malformed", detail: "version" }, String(version));
  }
});

test("readReport: a missing or unknown kind, or a bad flow, is malformed", () => {
  assert.deepEqual(readReport(wire({ flow: 1 })), malformed("kind"));
  assert.deepEqual(readReport(wire({ kind: 1, flow: 1 })), malformed("kind"));
  assert.deepEqual(readReport(wire({ kind: "session-created", flow: 1, sessionId: "s" })), { ignored: "malformed", detail: "kind" }, "an old kind");
  assert.deepEqual(readReport(wire({ kind: "challenge-shown", flow: 0 })), { kind: "challenge-shown", flow: 0 });
  assert.deepEqual(readReport(wire({ kind: "challenge-shown", flow: 2 ** 32 - 1 })), { kind: "challenge-shown", flow: 2 ** 32 - 1 });
  for (const flow of [undefined, null, -1, 1.5, 2 ** 32, "1", NaN]) {
    assert.deepEqual(readReport(wire({ kind: "challenge-shown", flow })), malformed("flow"), String(flow));
  }
});

test("readReport: a string field longer than 2048 UTF-8 bytes is malformed", () => {
  const failed = (message) => readReport(wire({ kind: "failed", flow: 1, code: "network", message }));
  assert.equal(failed("x".repeat(2048)).message.length, 2048);
  assert.deepEqual(failed("x".repeat(2049)), malformed("message"));
  assert.equal(failed("é".repeat(1024)).kind, "failed", "1024 two-byte characters are 2048 bytes");
  assert.deepEqual(failed("é".repeat(1025)), malformed("message"), "1025 characters, 2050 bytes");
  assert.deepEqual(readReport(wire({ kind: "ready".padEnd(2049, " ") })), malformed("kind"));
});

test("readReport: an object longer than 16384 characters as JSON is malformed", () => {
  // {"a":"…"} is the string plus 8 characters.
  const resolved = (length) => readReport(wire({ kind: "resolved", flow: 1, value: { a: "x".repeat(length) } }));
  assert.equal(resolved(16_384 - 8).kind, "resolved");
  assert.deepEqual(resolved(16_384 - 7), malformed("value"));
  assert.deepEqual(readReport(wire({ kind: "resolved", flow: 1, value: { sessionId: "x".repeat(20_000) } })), malformed("value"));
  const event = (length) => readReport(wire({ kind: "event", flow: 1, name: "method-started", detail: { a: "é".repeat(length) } }));
  assert.equal(event(16_384 - 8).kind, "event", "counted in characters, not bytes");
  assert.deepEqual(event(16_384 - 7), malformed("detail"));
  const browserInfo = { browserUserAgent: "x".repeat(2048) };
  assert.deepEqual(readReport(wire({ kind: "resolved", flow: 11, value: browserInfo })).value, browserInfo);
});

// ---- describe --------------------------------------------------------------------

test("describe: each reason for ignoring a message reads as the debug event says it", () => {
  assert.equal(describe({ ignored: "origin", detail: "http://evil.example" }), "message from unexpected origin http://evil.example");
  assert.equal(describe({ ignored: "source" }), "message from an unexpected window");
  assert.equal(describe({ ignored: "foreign" }), "not a threeds-web message");
  assert.equal(describe({ ignored: "version", detail: 9 }), "threeds-web message of unsupported version 9");
  assert.equal(describe({ ignored: "malformed", detail: "kind" }), "malformed threeds-web message: kind");
  assert.equal(describe({ ignored: "other-flow" }), "message for another flow or transaction");
  assert.equal(describe({ ignored: "duplicate" }), "duplicate message for a settled flow");
});

test("describe: what readReport and route ignore reads as a sentence", () => {
  assert.equal(describe(readReport({ protocol: PROTOCOL, version: 1, kind: "ready" })), "threeds-web message of unsupported version 1");
  assert.equal(
    describe(readReport(wire({ kind: "failed", flow: 1, code: "nope", message: "m" }))),
    "malformed threeds-web message: code is missing or of the wrong type",
  );
  assert.equal(describe(readReport("hello")), "not a threeds-web message");
  const routed = route({ ...from(true, [1]), origin: "http://evil.example" }, HOST, () => READY, client(), true, (a) => a);
  assert.equal(describe(routed.why), "message from unexpected origin http://evil.example");
});
