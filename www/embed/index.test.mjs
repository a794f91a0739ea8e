// The embed imported where there is no page (server-side rendering, Node): it
// loads, `preload` does nothing, and `ThreeDS.load` rejects with a coded error.

import { test } from "node:test";
import assert from "node:assert/strict";

import init, { ThreeDS, ThreeDSClient, initSync, preload } from "./index.js";

test("without a document, preload does nothing and returns a remover", () => {
  const remove = preload({ hostUrl: "https://sdk.example/host.html" });
  assert.equal(typeof remove, "function");
  assert.equal(remove(), undefined);
});

test("without a document, ThreeDS.load rejects invalid_argument: bad options first, then no document", async () => {
  await assert.rejects(ThreeDS.load({}), { code: "invalid_argument", message: "ThreeDS.load options: apiBaseUrl is required" });
  await assert.rejects(ThreeDS.load({ apiBaseUrl: "https://3ds.example", publishableKey: "pk_test_1" }), {
    code: "invalid_argument",
    message: "no document: ThreeDS.load runs in a browser page",
  });
});

test("ThreeDS.readReturn of a URL given needs no page", () => {
  assert.deepEqual(ThreeDS.readReturn("https://shop.example/back?payment_intent=pi_1#x"), {
    returnUrl: "https://shop.example/back",
    params: { payment_intent: "pi_1" },
  });
});

test("the classes are made by ThreeDS.load only; init and initSync do nothing", async () => {
  assert.throws(() => new ThreeDS(), TypeError);
  assert.throws(() => new ThreeDSClient({}), TypeError);
  assert.equal(await init(), undefined);
  assert.equal(initSync(), undefined);
});
