// The embed's pure rules: what a checkout page's options mean, how the messages
// between the page and the SDK host frames are written and read, which flow a
// message is for, and the spare frame's and the challenge size's rules. No DOM:
// the glue (client.js, ui.js) asks, these answer. Tested natively
// (rules.test.mjs, `node --test`); the browser tests check the messages against
// the contracts crate's own types (threeds-api), which the host app speaks.

// The envelope of every message (threeds_api::PROTOCOL, VERSION).
export const PROTOCOL = "threeds-web";
export const VERSION = 2;

/** What a bank's page inside a host frame may use: Secure Payment Confirmation and passkeys. */
export const ALLOW = "payment; publickey-credentials-get; publickey-credentials-create";

/** Default wait for a host frame's `ready`, ms. */
export const READY_TIMEOUT_MS = 10_000;
/** Default 3DS Method wait, ms (then the flow goes on with N). */
export const METHOD_TIMEOUT_MS = 10_000;
/** Default challenge timeout: 10 minutes. */
export const CHALLENGE_TIMEOUT_MS = 600_000;
/** What `runMethod` allows beyond its method timeout before the host frame counts as gone, ms. */
export const METHOD_MARGIN_MS = 5_000;
/** What `createSession` allows beyond its method timeout for the API calls, ms. */
export const SESSION_MARGIN_MS = 30_000;
/**
 * The longest wait an option may ask for: a day, ms. With the margins added it
 * stays far below what a browser timer takes (2^31 - 1), past which it fires at once.
 */
export const MAX_TIMEOUT_MS = 86_400_000;

/** Flow 0 is `load` itself. */
export const LOAD_FLOW = 0;

/** The error codes a promise rejects with (threeds_api::ErrorCode). */
export const ERROR_CODES = [
  "invalid_argument", "host_unavailable", "network", "api_error",
  "challenge_timeout", "cancelled", "destroyed", "busy", "acs_error",
];

/** Query parameters that are secrets: they leave the address bar once read. */
export const SECRET_PARAMS = ["payment_intent_client_secret", "setup_intent_client_secret", "client_secret"];

/** An Error with a `code` (ThreeDSError). */
export function error(code, message) {
  const failure = new Error(message);
  failure.code = code;
  return failure;
}

export const invalid = (message) => error("invalid_argument", message);

// ---- URLs --------------------------------------------------------------------

const LOOPBACK = ["localhost", "127.0.0.1", "[::1]"];

/** Why a URL (as the URL parser read it) is refused: not http(s), or http off loopback. */
export function urlProblem(protocol, hostname) {
  if (protocol === "https:") return null;
  if (protocol === "http:") {
    return LOOPBACK.includes(hostname) ? null : " must be an https URL (http only on localhost, 127.0.0.1 or [::1])";
  }
  return " must be an absolute http(s) URL";
}

/** Checks the URL option `name` and gives its origin; throws `invalid_argument` naming it. */
export function checkUrl(name, url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(name + " must be an absolute http(s) URL");
  }
  const problem = urlProblem(parsed.protocol, parsed.hostname);
  if (problem) throw invalid(name + problem);
  return parsed.origin;
}

// ---- Options -------------------------------------------------------------------

/** Reads the fields of the options object `source` a page passed; errors name the option. */
export function fields(source, what) {
  if (typeof source !== "object" || source === null) throw invalid(what + " must be an object");
  const value = (name) => {
    const v = source[name];
    return v === undefined || v === null ? undefined : v;
  };
  const string = (name) => {
    const v = value(name);
    if (v !== undefined && typeof v !== "string") throw invalid(`${what}: ${name} must be a string`);
    return v;
  };
  return {
    value,
    string,
    requiredString(name) {
      const v = string(name);
      if (v === undefined) throw invalid(`${what}: ${name} is required`);
      return v;
    },
    /** A whole number of milliseconds, 0 to MAX_TIMEOUT_MS. */
    millis(name) {
      const v = value(name);
      if (v !== undefined && !(Number.isInteger(v) && v >= 0 && v <= MAX_TIMEOUT_MS)) {
        throw invalid(`${what}: ${name} must be a whole number of milliseconds, at most ${MAX_TIMEOUT_MS}`);
      }
      return v;
    },
  };
}

/** `ThreeDS.load`'s options, checked (the hostUrl is resolved by the glue). */
export function loadOptions(value) {
  const read = fields(value, "ThreeDS.load options");
  const options = {
    apiBaseUrl: read.requiredString("apiBaseUrl"),
    publishableKey: read.requiredString("publishableKey"),
    hostUrl: read.string("hostUrl"),
    readyTimeoutMs: read.millis("readyTimeoutMs") ?? READY_TIMEOUT_MS,
    locale: read.string("locale"),
  };
  checkUrl("apiBaseUrl", options.apiBaseUrl);
  if (options.publishableKey === "") throw invalid("publishableKey is required");
  if (options.publishableKey.startsWith("sk_")) throw invalid("publishableKey: a secret key must never reach a browser");
  return options;
}

/**
 * A background call's waits: the 3DS Method's (sent to the host) and the
 * watchdog of the whole call. createSession: methodTimeoutMs, and timeoutMs or
 * the method's plus SESSION_MARGIN_MS; runMethod: timeoutMs plus
 * METHOD_MARGIN_MS; collectBrowserInfo: the host frame's ready wait.
 */
export function backgroundTimeouts(call, methodTimeoutMs, timeoutMs, readyTimeoutMs) {
  if (call === "createSession") {
    const method = methodTimeoutMs ?? METHOD_TIMEOUT_MS;
    return [method, timeoutMs ?? method + SESSION_MARGIN_MS];
  }
  if (call === "runMethod") {
    const method = timeoutMs ?? METHOD_TIMEOUT_MS;
    return [method, method + METHOD_MARGIN_MS];
  }
  return [timeoutMs ?? METHOD_TIMEOUT_MS, readyTimeoutMs];
}

/** The mode: as given, else inline with a container, modal without. */
export function pickMode(given, hasContainer) {
  if (given === "inline" || given === "modal") return given;
  if (given === undefined) return hasContainer ? "inline" : "modal";
  throw invalid(`mode must be "inline" or "modal", not "${given}"`);
}

/**
 * A call's options: the host reads and checks them (threeds_api's `calls`); the
 * embed reads what it acts on (how a frame is shown, its own timers) and forwards
 * the object as JSON text, without `container` (an element need not be JSON:
 * React's carry circular references) and, for the session API's calls, with the
 * client's `api` ({ apiBaseUrl, publishableKey }). The page's object stays as it was.
 */
export function callOptions(value, call, api) {
  const read = fields(value, call);
  const display = { windowSize: read.string("windowSize") ?? "auto", mode: read.string("mode"), timeoutMs: read.millis("timeoutMs") };
  const methodTimeoutMs = read.millis("methodTimeoutMs");
  const forwarded = { ...value };
  delete forwarded.container;
  if (call === "createSession" || call === "startChallenge") Object.assign(forwarded, api);
  let json;
  try {
    json = JSON.stringify(forwarded);
  } catch {
    // (a cycle, a BigInt)
  }
  if (typeof json !== "string") throw invalid(call + " options cannot be written as JSON");
  return { json, display, methodTimeoutMs };
}

// ---- Challenge sizes -----------------------------------------------------------

/** The EMV challenge window sizes, CSS pixels; 05 is full screen. */
export const WINDOW_SIZES = { "01": [250, 400], "02": [390, 400], "03": [500, 600], "04": [600, 400], "05": null };

/** Height of the bar with the Cancel button, CSS pixels (ui.js draws it). */
export const BAR_HEIGHT = 40;
/** Space kept around the modal dialog, CSS pixels. */
const MODAL_MARGIN = 16;

/** The largest fixed size (by area) that fits width x height, else 05: one spec size, never scaled or scrolled. */
export function largestFitting(width, height) {
  let best = "05";
  let area = 0;
  for (const [code, dimensions] of Object.entries(WINDOW_SIZES)) {
    if (!dimensions) continue;
    const [w, h] = dimensions;
    if (w <= width && h <= height && w * h > area) [best, area] = [code, w * h];
  }
  return best;
}

/**
 * The window size for a request: a spec code as given, or for "auto" the largest
 * that fits the room (`container`: the inline container's client size, its height
 * 0 when it has none of its own; else the viewport's), leaving room for the Cancel
 * bar; null for an unknown code.
 */
export function chooseSize(requested, mode, viewport, container) {
  if (requested !== "auto") return Object.prototype.hasOwnProperty.call(WINDOW_SIZES, requested) ? requested : null;
  const [viewportWidth, viewportHeight] = viewport.map((n) => Math.max(0, Math.floor(n) || 0));
  if (mode === "inline" && container) {
    // A container without its own height grows with content: the viewport bounds it.
    const height = container[1] > 0 ? container[1] : viewportHeight;
    return largestFitting(Math.max(0, container[0]), Math.max(0, height - BAR_HEIGHT));
  }
  return largestFitting(Math.max(0, viewportWidth - 2 * MODAL_MARGIN), Math.max(0, viewportHeight - 2 * MODAL_MARGIN - BAR_HEIGHT));
}

// ---- Locales -------------------------------------------------------------------

/** The embed's words in each locale the SDK speaks; anything else falls back to English. */
export const STRINGS = [
  { tag: "en", dialogLabel: "Card verification", cancel: "Cancel" },
  { tag: "de", dialogLabel: "Kartenprüfung", cancel: "Abbrechen" },
  { tag: "fr", dialogLabel: "Vérification de la carte", cancel: "Annuler" },
  { tag: "es", dialogLabel: "Verificación de la tarjeta", cancel: "Cancelar" },
  { tag: "it", dialogLabel: "Verifica della carta", cancel: "Annulla" },
  { tag: "nl", dialogLabel: "Kaartverificatie", cancel: "Annuleren" },
  { tag: "pl", dialogLabel: "Weryfikacja karty", cancel: "Anuluj" },
  { tag: "pt", dialogLabel: "Verificação do cartão", cancel: "Cancelar" },
];

/** The words for the first tag (`fr-CA`, `pt_BR`, `DE`) whose language the SDK speaks, else English. */
export function pickStrings(tags) {
  for (const tag of tags) {
    const language = String(tag).split(/[-_]/)[0].toLowerCase();
    const strings = STRINGS.find((s) => s.tag === language);
    if (strings) return strings;
  }
  return STRINGS[0];
}

/** Whether a frame started for `startedUrl` in `startedLocale` serves a client for `hostUrl` speaking `tag`. */
export function serves(startedUrl, startedLocale, hostUrl, tag) {
  return startedUrl === hostUrl && pickStrings([startedLocale]).tag === tag;
}

// ---- Messages ------------------------------------------------------------------

/** A call for a host frame (threeds_api::Command::Call, as it is written). */
export function callCommand(flow, call, options, windowSize, methodTimeoutMs) {
  const command = { protocol: PROTOCOL, version: VERSION, kind: "call", flow, call, options };
  if (windowSize !== undefined) command.windowSize = windowSize;
  command.methodTimeoutMs = methodTimeoutMs;
  return command;
}

/** Tells a host frame to drop a flow (threeds_api::Command::Cancel). */
export function cancelCommand(flow) {
  return { protocol: PROTOCOL, version: VERSION, kind: "cancel", flow };
}

/** Asks a host frame to say ready again (threeds_api::Command::Hello): a frame declared in the page's HTML. */
export function helloCommand() {
  return { protocol: PROTOCOL, version: VERSION, kind: "hello" };
}

/** The longest string field a report may carry, UTF-8 bytes. */
const MAX_STRING = 2048;
/** The longest a report's object may be as JSON text (a CRes, the browser fields, a query), UTF-16 code units. */
const MAX_JSON = 16 * 1024;
const MAX_FLOW = 2 ** 32 - 1;

const utf8 = new TextEncoder();

/** Why a message was ignored: `{ kind, detail? }`, written by `describe`. */
const ignored = (kind, detail) => ({ ignored: kind, detail });

/**
 * Reads a report a host frame posted (threeds_api::Report's wire form; each
 * flow's result and each event's detail come ready made). Returns
 * `{ kind, flow, ... }`, or `{ ignored }`: not ours at all ("foreign"), ours but
 * of another version ("version"), or of the wrong shape ("malformed", naming the field).
 */
export function readReport(data) {
  const field = (name) => (typeof data === "object" && data !== null ? data[name] : undefined);
  if (field("protocol") !== PROTOCOL) return ignored("foreign");
  const version = field("version");
  if (version !== VERSION) {
    // Any other whole number is a version we do not speak; anything else is no version.
    return typeof version === "number" && Number.isInteger(version) && version >= 0 && version <= 255
      ? ignored("version", version)
      : ignored("malformed", "version");
  }
  const malformed = (name) => ignored("malformed", name + " is missing or of the wrong type");
  const string = (name) => {
    const v = field(name);
    // A string longer than any the host writes is no report of ours.
    return typeof v === "string" && utf8.encode(v).length <= MAX_STRING ? v : undefined;
  };
  const object = (name) => {
    const v = field(name);
    if (typeof v !== "object" || v === null) return undefined;
    try {
      return JSON.stringify(v).length <= MAX_JSON ? v : undefined;
    } catch {
      return undefined;
    }
  };
  const kind = string("kind");
  if (kind === undefined) return malformed("kind");
  if (kind === "ready") return { kind };
  const flow = field("flow");
  if (!(Number.isInteger(flow) && flow >= 0 && flow <= MAX_FLOW)) return malformed("flow");
  switch (kind) {
    case "event": {
      const name = string("name");
      if (name === undefined) return malformed("name");
      if (name !== "method-started" && name !== "method-completed") return malformed("name");
      const detail = object("detail");
      return detail ? { kind, flow, name, detail } : malformed("detail");
    }
    case "challenge-shown":
    case "cancel-requested":
      return { kind, flow };
    case "resolved": {
      const event = field("event");
      if (event != null && event !== "challenge-completed" && event !== "returned") return malformed("event");
      const value = object("value");
      return value ? { kind, flow, value, event: event ?? undefined } : malformed("value");
    }
    case "failed": {
      const code = string("code");
      if (code === undefined || !ERROR_CODES.includes(code)) return malformed("code");
      const message = string("message");
      if (message === undefined) return malformed("message");
      return { kind, flow, code, message, acs: acsDetail(data) };
    }
    default:
      return ignored("malformed", "kind");
  }
}

/** An acs_error's Erro fields (a part missing reads as ""), if the report has them. */
function acsDetail(data) {
  const part = (name) => (typeof data[name] === "string" ? data[name] : undefined);
  const errorCode = part("errorCode");
  if (errorCode === undefined) return undefined;
  return { errorCode, errorComponent: part("errorComponent") ?? "", errorDescription: part("errorDescription") ?? "" };
}

/** Why a message was ignored, for the `debug` event (threeds_api::Ignored's Display). */
export function describe({ ignored: kind, detail }) {
  switch (kind) {
    case "origin": return "message from unexpected origin " + detail;
    case "source": return "message from an unexpected window";
    case "foreign": return "not a threeds-web message";
    case "version": return "threeds-web message of unsupported version " + detail;
    case "malformed": return "malformed threeds-web message: " + detail;
    case "other-flow": return "message for another flow or transaction";
    default: return "duplicate message for a settled flow";
  }
}

// ---- Flows and routing ---------------------------------------------------------

/**
 * The live flows of a client, and the number the next one gets. A flow is taken
 * out before its promise settles, so a second completion finds nothing.
 */
export class Flows {
  #live = new Map();
  #next = LOAD_FLOW + 1;

  /** Numbers a new flow; LOAD_FLOW is never handed out. */
  nextId() {
    return this.#next++;
  }

  /** Whether a flow other than `load` runs: one at a time per client. */
  busy() {
    for (const id of this.#live.keys()) if (id !== LOAD_FLOW) return true;
    return false;
  }

  insert(id, flow) {
    this.#live.set(id, flow);
  }

  /** Takes a flow out: the one way a flow ends, so only the first caller gets it. */
  remove(id) {
    const flow = this.#live.get(id);
    this.#live.delete(id);
    return flow;
  }

  get(id) {
    return this.#live.get(id);
  }

  /** Whether this flow was numbered by this client and has ended since. */
  settled(id) {
    return id < this.#next && !this.#live.has(id);
  }

  ids() {
    return [...this.#live.keys()];
  }

  entries() {
    return [...this.#live.entries()];
  }
}

/**
 * Routes a message: first its sender (exact origin, then one of this client's
 * frames: `sender` is { origin, fromBackground, fromFlows, fromWarm }), then its
 * content (`decode`, only for a message from a known sender), then its flow. A
 * flow's report counts only from that flow's frame; from elsewhere it is a
 * duplicate when the flow has settled, else a message for another flow. `ready`
 * resolves `load` once; after that it only releases a flow's pending command.
 * From the spare frame (owned by no flow yet) only `ready` counts.
 * Returns { route: "loaded" | "warm-ready" | "send" | "apply" | "ignore", ... }.
 */
export function route(sender, hostOrigin, decode, flows, backgroundReady, awaitsCommand) {
  if (sender.origin !== hostOrigin) return { route: "ignore", why: ignored("origin", String(sender.origin).slice(0, 100)) };
  const known = sender.fromBackground || sender.fromWarm || sender.fromFlows.length > 0;
  if (!known) return { route: "ignore", why: ignored("source") };
  const report = decode();
  if (report.ignored) return { route: "ignore", why: report };
  if (report.kind === "ready") {
    if (sender.fromBackground && !backgroundReady) return { route: "loaded" };
    if (sender.fromWarm) return { route: "warm-ready" };
    const waiting = sender.fromFlows.find((id) => {
      const flow = flows.get(id);
      return flow !== undefined && awaitsCommand(flow);
    });
    return waiting === undefined ? { route: "ignore", why: ignored("duplicate") } : { route: "send", flow: waiting };
  }
  const { flow } = report;
  if (!sender.fromFlows.includes(flow)) {
    const why = sender.fromWarm ? "source" : flows.settled(flow) ? "duplicate" : "other-flow";
    return { route: "ignore", why: ignored(why) };
  }
  return { route: "apply", flow, report };
}

/**
 * The spare host frame a client keeps booted for its next challenge: handed to a
 * challenge only once it has said ready and the glue moved it into the challenge
 * UI without reloading it; otherwise it stays for next time.
 */
export class Warm {
  frame = null;
  #ready = false;

  /** Whether to make a spare now: none kept, and the client not destroyed. */
  wanted(destroyed) {
    return !destroyed && this.frame === null;
  }

  /** Keeps a new spare, still booting. */
  boot(frame) {
    this.frame = frame;
    this.#ready = false;
  }

  /** The spare said ready. */
  setReady() {
    this.#ready = this.frame !== null;
  }

  /** Hands the spare over, if ready and `move(frame)` succeeds; else null. */
  handOver(move) {
    if (!this.#ready || this.frame === null || !move(this.frame)) return null;
    return this.take();
  }

  /** Takes the spare out, ready or not. */
  take() {
    const frame = this.frame;
    this.frame = null;
    this.#ready = false;
    return frame;
  }
}
