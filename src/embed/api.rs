//! The public JS API: `ThreeDS.load` and the `ThreeDSClient` it resolves with, and
//! the TypeScript declarations of their options and results (a custom section of
//! the generated `.d.ts`). Every method hands over to the client in `client.rs`.

use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;

use super::client::Inner;
use threeds_api::ErrorCode;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
export interface LoadOptions {
  /** Base URL of the 3DS session API, e.g. "https://api.example.com". */
  apiBaseUrl: string;
  /** The publishable key: it may only create and read sessions. */
  publishableKey: string;
  /** URL of the SDK host page (our origin); defaults to host.html beside the script. */
  hostUrl?: string;
  /** How long to wait for the host frame to start, ms (default 10000). */
  readyTimeoutMs?: number;
}
export interface CreateSessionOptions {
  pan?: string;
  tokenId?: string;
  /** The 3DS Method's wait before going on with "N", ms (default 10000). */
  methodTimeoutMs?: number;
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
  sessionId: string;
  acsChallengeUrl: string;
  acsTransactionId: string;
  threeDSVersion: string;
  threeDSServerTransId?: string;
  /** Default "auto": the largest spec size that fits the container (inline) or the viewport (modal). */
  windowSize?: WindowSize;
  /** Inline mode: the element (or a selector) the challenge goes into. */
  container?: HTMLElement | string;
  /** Default "inline" when a container is given, else "modal". */
  mode?: "inline" | "modal";
  /** Default 600000 (10 minutes). */
  timeoutMs?: number;
}
export interface ChallengeResult {
  sessionId: string;
  transStatus: string;
  acsTransactionId: string;
  threeDSServerTransId: string;
}
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
export type ThreeDSEvent =
  "method-started" | "method-completed" | "challenge-shown" | "challenge-completed" |
  "cancelled" | "error" | "debug";
"#;

/// Entry point of the JS API.
#[wasm_bindgen]
pub struct ThreeDS;

#[wasm_bindgen]
impl ThreeDS {
    /// Creates a client: frames the SDK host page and resolves when it is ready.
    #[wasm_bindgen(unchecked_return_type = "Promise<ThreeDSClient>")]
    pub fn load(#[wasm_bindgen(unchecked_param_type = "LoadOptions")] options: JsValue) -> Promise {
        Promise::new(&mut |resolve, reject| match Inner::create(&options) {
            Ok(inner) => inner.start(resolve, reject),
            Err(error) => {
                let _ = reject.call1(&JsValue::NULL, &error);
            }
        })
    }
}

/// A loaded client: one host frame, any number of sequential flows.
#[wasm_bindgen]
pub struct ThreeDSClient {
    pub(super) inner: Rc<Inner>,
}

#[wasm_bindgen]
impl ThreeDSClient {
    /// Collects the device data, creates the session and runs the 3DS Method.
    #[wasm_bindgen(js_name = createSession, unchecked_return_type = "Promise<SessionResult>")]
    pub fn create_session(&self, #[wasm_bindgen(unchecked_param_type = "CreateSessionOptions")] options: JsValue) -> Promise {
        let inner = self.inner.clone();
        Promise::new(&mut |resolve, reject| inner.create_session(&options, resolve, reject))
    }

    /// Shows the challenge at a spec size; resolves with the final result.
    #[wasm_bindgen(js_name = startChallenge, unchecked_return_type = "Promise<ChallengeResult>")]
    pub fn start_challenge(&self, #[wasm_bindgen(unchecked_param_type = "StartChallengeOptions")] options: JsValue) -> Promise {
        let inner = self.inner.clone();
        Promise::new(&mut |resolve, reject| inner.start_challenge(&options, resolve, reject))
    }

    /// Cancels the running flow: its promise rejects with `cancelled`.
    pub fn cancel(&self) {
        self.inner.cancel_all(ErrorCode::Cancelled);
    }

    /// Cancels everything and removes every frame and listener this client made.
    pub fn destroy(&self) {
        self.inner.destroy();
    }

    /// Subscribes to an event; the callback gets one detail object.
    pub fn on(&self, #[wasm_bindgen(unchecked_param_type = "ThreeDSEvent")] event: JsValue, callback: Function) {
        self.inner.handlers.borrow_mut().push((event, callback));
    }
}
