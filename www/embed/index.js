// threeds-web: the JS API a checkout page loads (`ThreeDS.load` -> `ThreeDSClient`).
// Plain JS, one ES module once bundled (threeds-web.js): it frames only the SDK
// host page (our origin, where the Rust host app runs the 3-D Secure flows),
// sends it typed commands, and settles each promise exactly once from the ONE
// completion message of that flow, accepted only from the flow's own host frame
// window and origin.
//
// - rules.js: the pure rules (options, messages, routing, sizes, locales);
// - client.js: the glue that ties them to the page; frames.js and ui.js the DOM;
// - preload.js: the host frame started before `ThreeDS.load`, or declared in the HTML.

import { Client, readReturn } from "./client.js";

export { preload } from "./preload.js";

const clients = new WeakMap();

/** A loaded client: its hidden host frames (the background one, a spare for the next challenge), any number of sequential flows. */
export class ThreeDSClient {
  constructor(client) {
    if (!(client instanceof Client)) throw new TypeError("ThreeDSClient: use ThreeDS.load");
    clients.set(this, client);
  }

  /** Collects the device data, creates the session and runs the 3DS Method. */
  createSession(options) {
    return background(this, "createSession", options);
  }

  /** Shows the challenge at a spec size; resolves with the final result. */
  startChallenge(options) {
    return framed(this, "startChallenge", options);
  }

  /** Runs any 3DS Server's 3DS Method in a hidden frame. */
  runMethod(options) {
    return background(this, "runMethod", options);
  }

  /** Shows any 3DS Server's challenge at a spec size; resolves with the final CRes. */
  challenge(options) {
    return framed(this, "challenge", options);
  }

  /** This browser's EMV browser fields for a protocol version. */
  collectBrowserInfo(options) {
    return background(this, "collectBrowserInfo", options);
  }

  /** Shows a processor's 3DS page inline or in a modal (resolving when it returns to the return page), or sends the whole page there. */
  presentAuthentication(options) {
    return framed(this, "presentAuthentication", options);
  }

  /** The SDK origin's return page (return.html beside the host page): the return URL to give a processor for inline and modal modes. */
  get returnUrl() {
    return clients.get(this).returnUrl();
  }

  /** Cancels the running flow: its promise rejects with `cancelled`. */
  cancel() {
    clients.get(this).cancelAll("cancelled");
  }

  /** Cancels everything and removes every frame and listener this client made. */
  destroy() {
    clients.get(this).destroy();
  }

  /** Subscribes to an event; the callback gets one detail object. */
  on(event, callback) {
    clients.get(this).on(event, callback);
  }
}

// `using client = await ThreeDS.load(...)`: destroyed at the end of the scope.
if (Symbol.dispose) ThreeDSClient.prototype[Symbol.dispose] = ThreeDSClient.prototype.destroy;
// The name the 0.1 embed's wasm class gave it.
ThreeDSClient.prototype.free = ThreeDSClient.prototype.destroy;

const background = (client, call, options) =>
  new Promise((resolve, reject) => clients.get(client).backgroundCall(call, options, resolve, reject));

const framed = (client, call, options) =>
  new Promise((resolve, reject) => clients.get(client).frameCall(call, options, resolve, reject));

/** Entry point of the JS API. */
export class ThreeDS {
  constructor() {
    throw new TypeError("ThreeDS: use ThreeDS.load");
  }

  /** Creates a client: frames the SDK host page and resolves when it is ready. */
  static load(options) {
    return new Promise((resolve, reject) => {
      const client = new Client(options);
      client.start(new ThreeDSClient(client), resolve, reject);
    });
  }

  /**
   * Reads the query a processor returned with to this page (full-page redirect
   * mode), and takes its client secrets out of the address bar (the returned
   * `params` keep them, for the retrieve call).
   */
  static readReturn(location) {
    return readReturn(location);
  }
}

/** Kept for pages written for the wasm embed of 0.1, which awaited `init()` first: there is nothing to start. */
export default function init() {
  return Promise.resolve();
}

/** As `init`, for 0.1 pages that started the wasm synchronously. */
export function initSync() {}
