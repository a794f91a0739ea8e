// A client's glue: it owns the host frames, the one `message` listener, the
// event handlers and the flows table, starts flows from the checked options,
// acts on the routed reports and settles each flow's promise exactly once. Every
// frame, listener and timer a flow makes is the flow's, and goes when it settles.

import { adopt, hide, hostFrame, post } from "./frames.js";
import { answerAppWanted, fetchApp, takePreloaded } from "./preload.js";
import {
  CHALLENGE_TIMEOUT_MS, Flows, LOAD_FLOW, Warm, backgroundTimeouts, callCommand, callOptions, cancelCommand,
  checkUrl, chooseSize, describe, error, invalid, loadOptions, pickMode, pickStrings, readReport, route, SECRET_PARAMS, serves,
} from "./rules.js";
import { ChallengeUi, resolveContainer } from "./ui.js";

export class Client {
  /**
   * A client for `ThreeDS.load`'s options (checked: throws `invalid_argument`),
   * not started yet. The frame `preload` started, or the page declared, is taken
   * when it serves this host page and locale, else removed; so it is when the
   * options are refused.
   */
  constructor(value) {
    let options, hostUrl, strings;
    try {
      options = loadOptions(value);
      if (typeof document === "undefined") throw invalid("no document: ThreeDS.load runs in a browser page");
      // A hostUrl given is relative to the page; the default is beside this script.
      try {
        hostUrl = new URL(options.hostUrl ?? "host.html", options.hostUrl === undefined ? import.meta.url : document.baseURI).href;
      } catch {
        throw invalid("hostUrl is not a URL");
      }
      this.hostOrigin = checkUrl("hostUrl", hostUrl);
      // The locale option, else the browser's language, else English.
      strings = pickStrings([options.locale ?? navigator.language ?? ""]);
    } catch (failure) {
      takePreloaded()?.frame.remove();
      throw failure;
    }
    const started = takePreloaded();
    this.preloaded = started && serves(started.hostUrl, started.locale, hostUrl, strings.tag) ? started : null;
    if (started && !this.preloaded) started.frame.remove();
    this.api = { apiBaseUrl: options.apiBaseUrl, publishableKey: options.publishableKey };
    this.hostUrl = hostUrl;
    this.readyTimeoutMs = options.readyTimeoutMs;
    this.strings = strings;
    // Every host frame's page is the same URL (from the cache): the started
    // frame's locale and, whether it asks this page for its app, its way.
    this.frameLocale = this.preloaded?.locale ?? strings.tag;
    this.framesFed = this.preloaded?.fed ?? true;
    this.background = null;
    this.backgroundReady = false;
    this.warm = new Warm();
    this.spareTimer = undefined;
    this.flows = new Flows();
    this.handlers = [];
    this.destroyed = false;
    this.listen = (event) => this.onMessage(event);
  }

  /** Frames the host page (or takes the started one) and resolves `load` with `client` on its `ready`. */
  start(client, resolve, reject) {
    addEventListener("message", this.listen);
    let frame = this.preloaded?.frame;
    try {
      frame ??= this.hiddenFrame(false);
    } catch (failure) {
      removeEventListener("message", this.listen);
      return reject(failure);
    }
    this.background = frame;
    this.flows.insert(LOAD_FLOW, {
      resolve: () => resolve(client),
      reject,
      frame,
      timer: this.timeout(LOAD_FLOW, this.readyTimeoutMs, "host_unavailable", "the SDK host frame did not start in time"),
    });
    // What the started frame sent before this client listened (its `ready`),
    // checked as every message is: origin, window, envelope, flow.
    for (const event of this.preloaded?.messages ?? []) this.onMessage(event);
    this.preloaded = null;
  }

  /** A host frame of this client's in `parent`; a fed one's app is fetched now, for it will ask. */
  newFrame(parent, spare) {
    const frame = hostFrame(this.hostUrl, this.frameLocale, parent, spare, this.framesFed);
    if (this.framesFed) fetchApp(this.hostUrl);
    return frame;
  }

  /** A hidden host frame in <body>: the background frame, the spare one. */
  hiddenFrame(spare) {
    if (!document.body) throw invalid("the page has no <body>");
    const frame = this.newFrame(document.body, spare);
    hide(frame);
    return frame;
  }

  /** A flow's watchdog: the host frame is told to drop the flow, and the promise rejects with `code`. */
  timeout(flow, ms, code, message) {
    return setTimeout(() => this.cancelFlow(flow, code, message), ms);
  }

  /** Numbers a new flow, unless the client was destroyed or (`exclusive`) another flow runs. */
  begin(reject, exclusive) {
    if (this.destroyed) return void reject(error("destroyed", "the client was destroyed"));
    if (exclusive && this.flows.busy()) return void reject(error("busy", "another flow of this client is running"));
    return this.flows.nextId();
  }

  /**
   * createSession, runMethod and collectBrowserInfo: the background frame
   * answers (the host checks the options); the promise rejects host_unavailable
   * when it does not in time. collectBrowserInfo is no flow: it runs beside any other.
   */
  backgroundCall(call, value, resolve, reject) {
    let options;
    try {
      options = callOptions(value, call, this.api);
    } catch (failure) {
      return reject(failure);
    }
    const [methodTimeoutMs, timeoutMs] = backgroundTimeouts(call, options.methodTimeoutMs, options.display.timeoutMs, this.readyTimeoutMs);
    const flow = this.begin(reject, call !== "collectBrowserInfo");
    if (flow === undefined) return;
    const frame = this.background;
    if (!frame) return reject(error("host_unavailable", "no host frame"));
    // A host that never answers still settles the promise.
    const timer = this.timeout(flow, timeoutMs, "host_unavailable", "the SDK host frame stopped answering");
    this.flows.insert(flow, { resolve, reject, frame, timer });
    post(frame, callCommand(flow, call, options.json, undefined, methodTimeoutMs), this.hostOrigin);
  }

  /**
   * startChallenge, challenge and presentAuthentication: a host frame of its own
   * shows the ACS's or the processor's page (the host checks the options); in
   * redirect mode the whole page goes to the processor's page.
   */
  frameCall(call, value, resolve, reject) {
    let options;
    try {
      options = callOptions(value, call, this.api);
      if (call === "presentAuthentication" && options.display.mode === "redirect") {
        const url = typeof value.url === "string" ? value.url : "";
        checkUrl("url", url);
        if (this.begin(reject, true) === undefined) return;
        // The page unloads: the promise resolves first, then the browser leaves.
        resolve({ mode: "redirect" });
        return location.assign(url);
      }
    } catch (failure) {
      return reject(failure);
    }
    this.inFrame(call, value, options, resolve, reject);
  }

  /** The SDK origin's return page, for a processor's return_url in inline and modal modes. */
  returnUrl() {
    return new URL("return.html", this.hostUrl).href;
  }

  /**
   * Shows a host frame of its own in the challenge UI (inline or modal, at a spec
   * size), the spare one when it can, and sends it the call with the size shown:
   * at once to the spare, at its `ready` to a fresh one.
   */
  inFrame(call, value, options, resolve, reject) {
    const { display } = options;
    const given = value.container ?? undefined;
    let mode, container, size;
    try {
      mode = pickMode(display.mode, given !== undefined);
      if (mode === "inline") {
        if (given === undefined) throw invalid("inline mode needs a container");
        container = resolveContainer(given);
        if (!container) throw invalid("container is neither an element nor a selector of one");
      }
      const room = container && [container.clientWidth, container.clientHeight];
      size = chooseSize(display.windowSize, mode, [innerWidth, innerHeight], room);
      if (!size) throw invalid("windowSize must be 01, 02, 03, 04, 05 or auto");
    } catch (failure) {
      return reject(failure);
    }
    const flow = this.begin(reject, true);
    if (flow === undefined) return;
    let ui, frame;
    try {
      ui = new ChallengeUi(mode, container, size, this.strings, () => this.cancelFlow(flow, "cancelled", "the cardholder cancelled the challenge"));
      // The spare frame, booted and ready, moved in without a reload; else a fresh one.
      frame = this.warm.handOver((spare) => adopt(ui.slot, spare)) ?? undefined;
    } catch (failure) {
      ui?.remove();
      return reject(failure);
    }
    const fresh = frame === undefined;
    if (fresh) frame = this.newFrame(ui.slot, false);
    const command = callCommand(flow, call, options.json, size, 0);
    // The spare gets the call before the page sizes and focuses it (a layout of
    // the page): the host posts the CReq meanwhile.
    if (!fresh) post(frame, command, this.hostOrigin);
    ui.sizeFrame(frame);
    const [width, height] = ui.frameSize();
    this.flows.insert(flow, {
      resolve,
      reject,
      frame,
      ui,
      // Kept after a move too: should the move have reloaded the frame after all,
      // its new `ready` sends it again.
      pendingCommand: command,
      shown: { windowSize: size, width, height },
      timer: this.timeout(flow, display.timeoutMs ?? CHALLENGE_TIMEOUT_MS, "challenge_timeout", "the challenge did not end in time"),
      // A fresh frame that never says ready ends the flow, not a blank dialog.
      ready: fresh ? this.timeout(flow, this.readyTimeoutMs, "host_unavailable", "the SDK host frame did not start in time") : undefined,
    });
  }

  onMessage(event) {
    const { origin, source } = event;
    // A frame's window is looked at only for a message of the host's origin: the
    // window of a frame that has not shown its page yet costs the browser a script
    // context for its empty first document (about 40 ms on a slow phone).
    const ofHost = origin === this.hostOrigin;
    const from = (frame) => ofHost && !!frame && source !== null && frame.contentWindow === source;
    // A host frame asks for its app (before its app runs): the public bytes go
    // to the window that asked, at the host's origin only.
    if (ofHost && answerAppWanted(event, this.hostUrl)) return;
    const sender = {
      origin,
      fromBackground: from(this.background),
      fromFlows: this.flows.entries().filter(([, flow]) => from(flow.frame)).map(([id]) => id),
      fromWarm: from(this.warm.frame),
    };
    const routed = route(sender, this.hostOrigin, () => readReport(event.data), this.flows, this.backgroundReady, (flow) => !!flow.pendingCommand);
    switch (routed.route) {
      case "loaded":
        this.backgroundReady = true;
        return void this.settle(LOAD_FLOW, true);
      case "warm-ready":
        return this.warm.setReady();
      case "send": {
        const flow = this.flows.get(routed.flow);
        clearTimeout(flow.ready);
        const command = flow.pendingCommand;
        flow.pendingCommand = undefined;
        return post(flow.frame, command, this.hostOrigin);
      }
      case "apply":
        return this.apply(routed.flow, routed.report);
      default:
        return this.emit("debug", { ignored: describe(routed.why) });
    }
  }

  /** Acts on a report for a live flow of this client. */
  apply(id, report) {
    switch (report.kind) {
      case "event":
        return this.emit(report.name, report.detail);
      case "challenge-shown": {
        // Once per flow: the host reports again when the ACS frame navigates.
        const flow = this.flows.get(id);
        const shown = flow.shown;
        flow.shown = undefined;
        return shown && this.emit("challenge-shown", { flow: id, ...shown });
      }
      case "cancel-requested":
        return this.cancelFlow(id, "cancelled", "the cardholder cancelled the challenge");
      case "resolved":
        // Settled first: a handler that calls destroy() finds nothing left to cancel.
        if (this.settle(id, true, report.value) && report.event) this.emit(report.event, report.value);
        return;
      case "failed":
        return this.fail(id, report.code, report.message, report.acs);
    }
  }

  /** Rejects a flow with a typed error (an acs_error's Erro fields on it and on the event). */
  fail(id, code, message, acs) {
    const failure = Object.assign(error(code, message), acs);
    if (this.settle(id, false, failure)) {
      this.emit(code === "cancelled" ? "cancelled" : "error", { flow: id, code, message, ...acs });
      // A client whose host never started is of no use: release everything.
      if (id === LOAD_FLOW) this.destroy();
    }
  }

  /**
   * Settles a flow's promise if it is still live; true if it settled now. Its
   * timers go, and a challenge's UI and frame. Once no call runs, a spare frame
   * boots for the next challenge, if none is kept.
   */
  settle(id, ok, outcome) {
    const flow = this.flows.remove(id);
    if (!flow) return false;
    clearTimeout(flow.timer);
    clearTimeout(flow.ready);
    if (flow.ui) {
      flow.frame.remove();
      flow.ui.remove();
    }
    if (ok) flow.resolve(outcome);
    else flow.reject(outcome);
    this.warmUpSoon();
    return true;
  }

  /**
   * Boots the spare in a task of its own, and only if no call runs then: the
   * page's code awaiting the promise just settled runs first (its next call), and
   * a host app booting beside a call shares the page's main thread and slows it.
   * One that never says ready is never used (no timer: it holds nothing up).
   */
  warmUpSoon() {
    if (!this.warm.wanted(this.destroyed)) return;
    clearTimeout(this.spareTimer);
    this.spareTimer = setTimeout(() => {
      if (this.flows.busy() || !this.warm.wanted(this.destroyed)) return;
      try {
        this.warm.boot(this.hiddenFrame(true));
      } catch {
        // No <body> any more: no spare; a challenge frames its own.
      }
    }, 0);
  }

  cancelFlow(id, code, message) {
    const flow = this.flows.get(id);
    if (flow) post(flow.frame, cancelCommand(id), this.hostOrigin);
    this.fail(id, code, message);
  }

  /** Cancels every live flow with `code`. */
  cancelAll(code) {
    const message = code === "destroyed" ? "the client was destroyed" : "cancelled by the checkout page";
    for (const id of this.flows.ids()) this.cancelFlow(id, code, message);
  }

  /** Cancels everything, removes the listener and the background and spare frames, forgets the handlers. */
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.cancelAll("destroyed");
    removeEventListener("message", this.listen);
    clearTimeout(this.spareTimer);
    this.background?.remove();
    this.background = null;
    this.warm.take()?.remove();
    this.handlers = [];
  }

  on(name, callback) {
    if (typeof callback !== "function") throw invalid("on: the callback must be a function");
    this.handlers.push([name, callback]);
  }

  emit(name, detail) {
    // Copied out first: a handler may call on() or destroy().
    for (const [event, callback] of this.handlers.filter(([event]) => event === name)) {
      try {
        callback(detail);
      } catch (thrown) {
        // The page's own error: reported as uncaught, never in the SDK's way.
        setTimeout(() => {
          throw thrown;
        });
      }
    }
  }
}

/**
 * `ThreeDS.readReturn`: the query of `location` (this page's when undefined or
 * null) as { returnUrl, params }. On this page's own address, the client secrets
 * leave the address bar (and its history entry).
 */
export function readReturn(where) {
  // No page (server-side rendering): only a URL given is read.
  const own = typeof location === "undefined" ? undefined : location.href;
  const href = where == null ? own ?? "" : typeof where === "string" ? where : typeof where.href === "string" ? where.href : "";
  let url;
  try {
    url = new URL(href);
  } catch {
    throw invalid("readReturn takes an absolute URL: a Location, a URL or a string");
  }
  const params = Object.fromEntries(url.searchParams);
  if (href === own) {
    for (const name of SECRET_PARAMS) url.searchParams.delete(name);
    try {
      history.replaceState(null, "", url.href);
    } catch {
      // (a sandboxed document's history) the returned params still hold them
    }
  }
  url.search = "";
  url.hash = "";
  return { returnUrl: url.href, params };
}
