// The README's snippets as a TypeScript checkout page writes them, type-checked
// (strict) against the installed package's declarations (scripts/kit-test.sh,
// tests/e2e/tests/kit.rs). Each `@ts-expect-error` marks one misuse the types must
// refuse, alone on its line so that no other error can stand in for it.
import { ThreeDS, preload } from "threeds-web";
import type { ChallengeResult, CRes, PreloadOptions, ReturnResult, SessionResult, ThreeDSError, WindowSize } from "threeds-web";
import { useThreeDS, ThreeDSChallenge } from "threeds-web/react";
import type { ThreeDSChallengeProps } from "threeds-web/react";

const hostUrl = "https://sdk.example.com/host.html";
const removePreloaded: () => void = preload({ hostUrl, locale: "fr" });
preload();
// @ts-expect-error preload takes an options object, not a URL
const notOptions: PreloadOptions = hostUrl;
const client = await ThreeDS.load({ apiBaseUrl: "https://3ds.example.com", publishableKey: "pk_test_threeds_mock", hostUrl, readyTimeoutMs: 10_000 });
removePreloaded();

client.on("challenge-shown", (d) => console.log(d.windowSize, d.width, d.height));
client.on("method-started", (d) => console.log(d.flow));
client.on("method-completed", (d) => console.log(d.flow, d.indicator === "Y", d.ms));
client.on("error", (d) => console.log(d.code, d.message, d.errorCode));
client.on("cancelled", (d) => console.log(d.code === "cancelled"));
client.on("returned", (d) => console.log(d.returnUrl, d.params));
client.on("debug", (d) => console.log(d.ignored));
client.on("challenge-completed", (d) => console.log("messageType" in d ? d.acsTransID : d.sessionId));
// @ts-expect-error challenge-shown's detail has no indicator
client.on("challenge-shown", (d) => d.indicator);
// @ts-expect-error no such event
client.on("challenge-started", () => {});

const session: SessionResult = await client.createSession({ pan: "4000000000001000", methodTimeoutMs: 5_000 });
const methodDone: "Y" | "N" | "U" = session.methodCompletionIndicator;
try {
  const result: ChallengeResult = await client.startChallenge({
    sessionId: session.sessionId,
    acsChallengeUrl: "https://acs.example.com/challenge",
    acsTransactionId: "8a880dc0-d2d2-4067-bcb1-b08d1690b26e",
    threeDSVersion: "2.2.0",
    windowSize: "auto",
    mode: "modal",
  });
  console.log(result.transStatus, methodDone);
} catch (error) {
  const failure = error as ThreeDSError;
  if (failure.code === "acs_error") console.log(failure.errorCode, failure.errorComponent, failure.errorDescription);
}
// @ts-expect-error windowSize is a spec size or "auto"
const badSize: WindowSize = "06";

// The backend-agnostic calls.
const { threeDSCompInd } = await client.runMethod({
  threeDSMethodURL: "https://acs.example.com/method",
  threeDSServerTransID: "d461f105-1792-407f-95ff-9a496fd918a9",
  notificationURL: "https://merchant.example.com/3ds/method-notification",
});
const cres: CRes = await client.challenge({ acsURL: "https://acs.example.com/challenge", creq: "eyJ9", container: "#slot" });
console.log(threeDSCompInd, cres.transStatus, (await client.collectBrowserInfo({ messageVersion: "2.3.1" })).browserUserAgent);
// As the README's Stripe example: inline resolves the return page's params.
const { params } = await client.presentAuthentication({ url: "https://hooks.stripe.com/3d_secure_2/hosted", returnUrl: client.returnUrl, mode: "inline", container: "#bank" });
const redirected: { mode: "redirect" } = await client.presentAuthentication({ url: "https://hooks.stripe.com/3d_secure_2/hosted", mode: "redirect" });
// @ts-expect-error a redirect resolves no params
const redirectParams: ReturnResult = await client.presentAuthentication({ url: "https://hooks.stripe.com/3d_secure_2/hosted", mode: "redirect" });
const back = ThreeDS.readReturn();
console.log(params.payment_intent, redirected.mode, back.params.payment_intent_client_secret, notOptions, badSize, redirectParams);
console.log(ThreeDS.readReturn(location).returnUrl, ThreeDS.readReturn(new URL("https://shop.example/back?x=1")).params, ThreeDS.readReturn("https://shop.example/back").params);
client.cancel();
client.destroy();

// The React bindings' types.
export function Checkout(): ReturnType<typeof ThreeDSChallenge> | null {
  const { client: loaded, error } = useThreeDS({ apiBaseUrl: "https://3ds.example.com", publishableKey: "pk_test_threeds_mock", hostUrl });
  const props: ThreeDSChallengeProps = {
    client: loaded,
    options: { sessionId: "s", acsChallengeUrl: "https://acs.example.com/c", acsTransactionId: "a", threeDSVersion: "2.2.0", windowSize: "02" },
    onComplete: (result) => console.log(result),
    onError: (failure) => console.log(failure.code),
  };
  return error ? null : ThreeDSChallenge(props);
}
