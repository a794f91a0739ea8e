// threeds-web: the JS API a checkout page loads (threeds-web.js, one ES module).

/*
 * Every URL option must be https, or http on loopback only (localhost, 127.0.0.1,
 * [::1]). Every *Ms option is a whole number from 0 to 86400000 (a day).
 * A bad option rejects with code "invalid_argument", its message naming the option.
 */
export interface LoadOptions {
    /** Base URL of the 3DS session API, e.g. "https://api.example.com". */
    apiBaseUrl: string;
    /** The publishable key (pk_test_... or pk_live_...): it may only create and read sessions. */
    publishableKey: string;
    /**
     * URL of the SDK host page (our origin). Relative to the page when given; the
     * default is host.html beside the embed's script (threeds-web.js).
     */
    hostUrl?: string;
    /**
     * How long a host frame may take to start, ms (default 10000): the client's own
     * (load rejects "host_unavailable") and each challenge's (startChallenge rejects
     * "host_unavailable" and removes the challenge). A challenge that takes the
     * client's spare frame, started already, does not wait.
     */
    readyTimeoutMs?: number;
    /**
     * The SDK's own words (dialog label, Cancel, the loading line): "en", "de", "fr",
     * "es", "it", "nl", "pl" or "pt" ("fr-CA" picks "fr"). Default: the browser's
     * language (navigator.language), else English.
     */
    locale?: string;
}
/** `preload`'s options: the hostUrl and locale the page will pass to ThreeDS.load. */
export interface PreloadOptions {
    /** As LoadOptions.hostUrl: relative to the page; default host.html beside the embed's script. */
    hostUrl?: string;
    /** As LoadOptions.locale; default the browser's language. */
    locale?: string;
}
/**
 * Starts the SDK host frame now, so the host app downloads while the page goes on
 * loading (call it first). The next ThreeDS.load for
 * the same hostUrl and locale takes the frame (and its ready, if it came already);
 * any other ThreeDS.load removes it, as does one that rejects its options.
 * A host frame the page declared in its HTML (iframe[data-threeds-host]: README,
 * "Start the host frame in your HTML") is taken instead of starting one, when it is
 * for this hostUrl (and for this locale, when one is given).
 * The frames the SDK makes (src with app=parent) ask the page for the host app's
 * wasm: it is fetched here, once (threeds-host_bg.wasm beside hostUrl; CORS, and
 * connect-src the SDK origin), and posted to them; each runs it only if its
 * SHA-256 is its release's, else fetches its own. A declared frame without
 * app=parent fetches its own, and so do the client's later frames.
 * Returns a function that removes the frame while no ThreeDS.load has taken it.
 * A second call with the same options keeps the frame; with others, replaces it.
 * Throws an Error with code "invalid_argument" for options that are not an object,
 * a bad hostUrl or locale, or a page without <body>; does nothing where there is
 * no document (server-side rendering).
 */
export function preload(options?: PreloadOptions): () => void;
export interface CreateSessionOptions {
    /**
     * The raw card number: only with a test key (pk_test_...). With a live key pass
     * tokenId: a card number typed into the checkout page would bring that page into
     * PCI DSS scope.
     */
    pan?: string;
    /** A token of the card vault; exactly one of pan and tokenId. */
    tokenId?: string;
    /** The 3DS Method's wait before going on with "N", ms (default 10000). */
    methodTimeoutMs?: number;
    /**
     * The whole call's limit, ms (default methodTimeoutMs + 30000): then it rejects
     * "host_unavailable" and the host frame is told to drop the flow.
     */
    timeoutMs?: number;
}
export interface SessionResult {
    sessionId: string;
    threeDSServerTransId: string;
    methodCompletionIndicator: "Y" | "N" | "U";
    recommendedVersion: string;
    cardBrand?: string;
}
export type WindowSize = "01" | "02" | "03" | "04" | "05" | "auto";
export interface StartChallengeOptions {
    /** The session's id: 1 to 128 letters, digits, "-" or "_" (it goes into a URL path). */
    sessionId: string;
    /** The ACS URL the CReq goes to (https; http on loopback only). */
    acsChallengeUrl: string;
    /** The ARes's acsTransID: a UUID. */
    acsTransactionId: string;
    /** The ARes's messageVersion. */
    threeDSVersion: "2.1.0" | "2.2.0" | "2.3.1";
    /** The 3DS Server's transaction id: a UUID. */
    threeDSServerTransId?: string;
    /**
     * Default "auto": the largest spec size that fits the container (inline) or the
     * viewport (modal). "05" (full screen) fills the container inline (give it a
     * height), the viewport in a modal.
     */
    windowSize?: WindowSize;
    /** Inline mode: the element (or a selector) the challenge goes into. */
    container?: HTMLElement | string;
    /** Default "inline" when a container is given, else "modal". */
    mode?: "inline" | "modal";
    /** Default 600000 (10 minutes): then it rejects "challenge_timeout". */
    timeoutMs?: number;
}
export interface ChallengeResult {
    sessionId: string;
    transStatus: string;
    acsTransactionId: string;
    threeDSServerTransId: string;
}
/*
 * The backend-agnostic API: any EMV 3DS Server, any processor's 3DS page.
 * Field names follow EMV (threeDSServerTransID, acsTransID, ...).
 */
export interface RunMethodOptions {
    /** The ACS's 3DS Method URL (https; http on loopback only). Absent or null: resolves { threeDSCompInd: "U" } at once. */
    threeDSMethodURL?: string | null;
    /** The 3DS Server's transaction id: a UUID. The method notification must name it. */
    threeDSServerTransID: string;
    /**
     * Your 3DS Server's method notification endpoint (https): the SDK writes
     * threeDSMethodData with it. The endpoint must answer the ACS's form post with
     * the relay (a 303 to relay.html on the SDK origin; see the README).
     * Exactly one of notificationURL and threeDSMethodData.
     */
    notificationURL?: string;
    /** threeDSMethodData as your 3DS Server wrote it (base64url), posted unchanged. */
    threeDSMethodData?: string;
    /** The method's wait before it resolves "N", ms (default 10000). */
    timeoutMs?: number;
}
export interface RunMethodResult {
    /** For the AReq: Y (the notification arrived), N (timeout), U (no method URL). */
    threeDSCompInd: "Y" | "N" | "U";
}
export interface ChallengeOptions {
    /** The ARes's acsURL (https; http on loopback only). */
    acsURL: string;
    /** A CReq your 3DS Server wrote (base64url), posted unchanged. Or the three fields below. */
    creq?: string;
    /** The 3DS Server's transaction id (a UUID), with acsTransID and messageVersion, for the SDK to write the CReq. */
    threeDSServerTransID?: string;
    /** The ARes's acsTransID: a UUID. */
    acsTransID?: string;
    /** The ARes's messageVersion. */
    messageVersion?: "2.1.0" | "2.2.0" | "2.3.1";
    /** Posted beside the CReq; the ACS echoes it with the CRes (base64url, at most 1024). */
    threeDSSessionData?: string;
    /**
     * Default "auto": the largest spec size that fits. A ready creq's
     * challengeWindowSize is set to the size shown (the ACS lays out for it).
     */
    windowSize?: WindowSize;
    /** Inline mode: the element (or a selector) the challenge goes into. */
    container?: HTMLElement | string;
    /** Default "inline" when a container is given, else "modal". */
    mode?: "inline" | "modal";
    /** Default 600000 (10 minutes): then it rejects "challenge_timeout". */
    timeoutMs?: number;
}
/**
 * The final CRes, decoded, as the ACS wrote it (messageType "CRes",
 * transStatus "Y" or "N", the transaction ids, ...). Its transStatus is the
 * browser's word: your 3DS Server's RReq holds the result that counts.
 */
export interface CRes {
    messageType: "CRes";
    messageVersion: string;
    threeDSServerTransID: string;
    acsTransID: string;
    transStatus: string;
    challengeCompletionInd: string;
    [field: string]: unknown;
}
export interface CollectBrowserInfoOptions {
    /** The fields of this version: browserJavascriptEnabled from 2.2.0, acceptLanguage in 2.3.1. */
    messageVersion: "2.1.0" | "2.2.0" | "2.3.1";
}
/** The EMV browser fields, as the AReq carries them. browserAcceptHeader and browserIP are your server's to add (from the request). */
export interface BrowserInfo {
    browserJavaEnabled?: boolean;
    browserJavascriptEnabled?: boolean;
    browserLanguage?: string;
    browserColorDepth?: string;
    browserScreenHeight?: string;
    browserScreenWidth?: string;
    browserTZ?: string;
    browserUserAgent: string;
    acceptLanguage?: string[];
}
export interface PresentAuthenticationOptions {
    /** The processor's 3DS page: Stripe's next_action.redirect_to_url.url, a source's redirect[url], Checkout.com's _links.redirect.href. */
    url: string;
    /**
     * Inline and modal: the return URL you gave the processor, which must be the SDK
     * origin's return page (client.returnUrl, plus any query of yours); checked when given.
     */
    returnUrl?: string;
    /** "redirect": the whole page goes to url (the promise resolves { mode: "redirect" } first). */
    mode?: "inline" | "modal" | "redirect";
    windowSize?: WindowSize;
    container?: HTMLElement | string;
    /** Default 600000 (10 minutes): then it rejects "challenge_timeout". */
    timeoutMs?: number;
}
/** Where the processor's page returned: the return page's URL (no query) and its query parameters. */
export interface ReturnResult {
    returnUrl: string;
    params: Record<string, string>;
}
export type PresentAuthenticationResult = ReturnResult | { mode: "redirect" };
export type ThreeDSErrorCode =
"invalid_argument" | "host_unavailable" | "network" | "api_error" |
"challenge_timeout" | "cancelled" | "destroyed" | "busy" | "acs_error";
/** Every promise rejects with an Error carrying one of these codes. An
 *  `acs_error` (the ACS ended the challenge with an Erro message) also carries
 *  the Erro's errorCode, errorComponent and errorDescription. */
export interface ThreeDSError extends Error {
    code: ThreeDSErrorCode;
    errorCode?: string;
    errorComponent?: string;
    errorDescription?: string;
}
/**
 * Each event fires once per fact, and a completion's event (challenge-completed,
 * returned, cancelled, error) only after its promise has settled; method-started,
 * method-completed and challenge-shown fire while the flow runs.
 * Escape cancels a challenge only while focus is inside the challenge's UI.
 */
export type ThreeDSEvent =
"method-started" | "method-completed" | "challenge-shown" | "challenge-completed" |
"returned" | "cancelled" | "error" | "debug";
/** A flow's event: `flow` numbers the call it belongs to. */
export interface FlowEventDetail {
    flow: number;
}
export interface MethodCompletedDetail extends FlowEventDetail {
    /** The 3DS Method's threeDSCompInd. */
    indicator: "Y" | "N" | "U";
    /**
     * How long the 3DS Method took until its notification (or the timeout), ms; 0
     * with "U" when there is no method URL (then no method-started came before).
     */
    ms: number;
}
export interface ChallengeShownDetail extends FlowEventDetail {
    windowSize: "01" | "02" | "03" | "04" | "05";
    /** The bank's frame, CSS pixels. */
    width: number;
    height: number;
}
/** The rejected promise's error, as fields (an acs_error's Erro fields with it). */
export interface FailureEventDetail
extends FlowEventDetail, Pick<ThreeDSError, "code" | "message" | "errorCode" | "errorComponent" | "errorDescription"> {}
export interface DebugEventDetail {
    /** A message the SDK ignored, and why. */
    ignored: string;
}
/** What each event's callback gets. */
export interface ThreeDSEventDetail {
    "method-started": FlowEventDetail;
    "method-completed": MethodCompletedDetail;
    "challenge-shown": ChallengeShownDetail;
    /** startChallenge's result, or challenge's CRes (it has messageType: "CRes"). */
    "challenge-completed": ChallengeResult | CRes;
    "returned": ReturnResult;
    "cancelled": FailureEventDetail & { code: "cancelled" };
    "error": FailureEventDetail;
    "debug": DebugEventDetail;
}
export interface ThreeDSClient {
    /**
     * Subscribes to an event; the callback gets one detail object. A callback that
     * is not a function throws an Error with code "invalid_argument". An error a
     * callback throws is reported as uncaught (the window's "error" event), apart
     * from the SDK's own work.
     */
    on<E extends ThreeDSEvent>(event: E, callback: (detail: ThreeDSEventDetail[E]) => void): void;
    /**
     * Shows a processor's 3-D Secure page: inline or in a modal it resolves with the
     * return page's { returnUrl, params }; "redirect" navigates this page away and
     * resolves { mode: "redirect" } (ThreeDS.readReturn() reads the return).
     */
    presentAuthentication(options: PresentAuthenticationOptions & { mode: "redirect" }): Promise<{ mode: "redirect" }>;
    presentAuthentication(options: PresentAuthenticationOptions & { mode?: "inline" | "modal" }): Promise<ReturnResult>;
    presentAuthentication(options: PresentAuthenticationOptions): Promise<PresentAuthenticationResult>;
}



/**
 * Entry point of the JS API.
 */
export class ThreeDS {
    private constructor();
    /**
     * Creates a client: frames the SDK host page and resolves when it is ready.
     */
    static load(options: LoadOptions): Promise<ThreeDSClient>;
    /**
     * Reads the query a processor returned with to this page (full-page redirect
     * mode), and takes its client secrets out of the address bar (the returned
     * `params` keep them, for the retrieve call).
     */
    static readReturn(location?: Location | URL | string | null): ReturnResult;
}

/**
 * A loaded client: its hidden host frames (the background one, a spare for the
 * next challenge), any number of sequential flows.
 */
export class ThreeDSClient {
    private constructor();
    /** destroy(): `using client = await ThreeDS.load(...)` destroys it at the end of the scope. */
    [Symbol.dispose](): void;
    /** destroy(), under the name the 0.1 embed's wasm class had. */
    free(): void;
    /**
     * Cancels the running flow: its promise rejects with `cancelled`.
     */
    cancel(): void;
    /**
     * Shows any 3DS Server's challenge at a spec size; resolves with the final CRes.
     */
    challenge(options: ChallengeOptions): Promise<CRes>;
    /**
     * This browser's EMV browser fields for a protocol version.
     */
    collectBrowserInfo(options: CollectBrowserInfoOptions): Promise<BrowserInfo>;
    /**
     * Collects the device data, creates the session and runs the 3DS Method.
     */
    createSession(options: CreateSessionOptions): Promise<SessionResult>;
    /**
     * Cancels everything and removes every frame and listener this client made.
     */
    destroy(): void;
    /**
     * Runs any 3DS Server's 3DS Method in a hidden frame.
     */
    runMethod(options: RunMethodOptions): Promise<RunMethodResult>;
    /**
     * Shows the challenge at a spec size; resolves with the final result.
     */
    startChallenge(options: StartChallengeOptions): Promise<ChallengeResult>;
    /**
     * The SDK origin's return page (`return.html` beside the host page): the
     * return URL to give a processor for inline and modal modes.
     */
    readonly returnUrl: string;
}

/**
 * Nothing to start: kept for pages written for the wasm embed of 0.1, which
 * awaited init() before ThreeDS.load. Resolves at once (with nothing); any
 * argument is ignored.
 */
export default function init(options?: unknown): Promise<void>;
/** As init(), for 0.1 pages that started the wasm synchronously: does nothing. */
export function initSync(options?: unknown): void;
