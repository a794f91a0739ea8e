//! The options a checkout page passes: read field by field from the JS object
//! (`read`, errors naming the option), then checked by pure rules (`check`, tested
//! natively), with the defaults of what a page leaves out.

use wasm_bindgen::JsValue;

use super::js::Fields;
use super::layout::Mode;

/// Default wait for the host frame's `ready`, ms.
pub const READY_TIMEOUT_MS: u32 = 10_000;
/// Default 3DS Method wait, ms (then the flow goes on with N).
pub const METHOD_TIMEOUT_MS: u32 = 10_000;
/// Default challenge timeout: 10 minutes.
pub const CHALLENGE_TIMEOUT_MS: u32 = 600_000;

/// `ThreeDS.load`'s options.
pub struct LoadOptions {
    /// `apiBaseUrl`: the session API.
    pub api_base_url: String,
    /// `publishableKey`.
    pub publishable_key: String,
    /// `hostUrl`, resolved against the page's base URL by the caller.
    pub host_url: Option<String>,
    /// `readyTimeoutMs`.
    pub ready_timeout_ms: Option<u32>,
}

impl LoadOptions {
    /// Reads the options object.
    pub fn read(value: &JsValue) -> Result<Self, String> {
        let fields = Fields::of(value, "ThreeDS.load options")?;
        Ok(Self {
            api_base_url: fields.required_string("apiBaseUrl")?,
            publishable_key: fields.required_string("publishableKey")?,
            host_url: fields.string("hostUrl")?,
            ready_timeout_ms: fields.millis("readyTimeoutMs")?,
        })
    }

    /// An absolute http(s) API URL, and a publishable key: never a secret one.
    pub fn check(&self) -> Result<(), &'static str> {
        if threeds_api::origin_of(&self.api_base_url).is_none() {
            return Err("apiBaseUrl must be an absolute http(s) URL");
        }
        if self.publishable_key.is_empty() {
            return Err("publishableKey is required");
        }
        if self.publishable_key.starts_with("sk_") {
            return Err("publishableKey: a secret key must never reach a browser");
        }
        Ok(())
    }
}

/// `createSession`'s options.
pub struct CreateSessionOptions {
    /// `pan`: the card number (test keys).
    pub pan: Option<String>,
    /// `tokenId`: a token of the card vault.
    pub token_id: Option<String>,
    /// `methodTimeoutMs`.
    pub method_timeout_ms: Option<u32>,
}

impl CreateSessionOptions {
    /// Reads the options object and checks it.
    pub fn read(value: &JsValue) -> Result<Self, String> {
        let fields = Fields::of(value, "createSession options")?;
        let options = Self { pan: fields.string("pan")?, token_id: fields.string("tokenId")?, method_timeout_ms: fields.millis("methodTimeoutMs")? };
        options.check().map_err(str::to_owned)?;
        Ok(options)
    }

    /// Exactly one way to name the card.
    pub fn check(&self) -> Result<(), &'static str> {
        if self.pan.is_some() == self.token_id.is_some() { Err("createSession needs exactly one of pan or tokenId") } else { Ok(()) }
    }
}

/// `startChallenge`'s options (`container` is read apart: it is an element or a selector).
pub struct StartChallengeOptions {
    /// `sessionId`.
    pub session_id: String,
    /// `acsChallengeUrl`: where the CReq goes.
    pub acs_challenge_url: String,
    /// `acsTransactionId`.
    pub acs_transaction_id: String,
    /// `threeDSVersion`.
    pub three_ds_version: String,
    /// `threeDSServerTransId`.
    pub three_ds_server_trans_id: Option<String>,
    /// `windowSize`: a spec code or `auto`.
    pub window_size: Option<String>,
    /// `mode`: `inline` or `modal`.
    pub mode: Option<String>,
    /// `timeoutMs`.
    pub timeout_ms: Option<u32>,
}

impl StartChallengeOptions {
    /// Reads the options object and checks it.
    pub fn read(value: &JsValue) -> Result<Self, String> {
        let fields = Fields::of(value, "startChallenge options")?;
        let options = Self {
            session_id: fields.required_string("sessionId")?,
            acs_challenge_url: fields.required_string("acsChallengeUrl")?,
            acs_transaction_id: fields.required_string("acsTransactionId")?,
            three_ds_version: fields.required_string("threeDSVersion")?,
            three_ds_server_trans_id: fields.string("threeDSServerTransId")?,
            window_size: fields.string("windowSize")?,
            mode: fields.string("mode")?,
            timeout_ms: fields.millis("timeoutMs")?,
        };
        options.check().map_err(str::to_owned)?;
        Ok(options)
    }

    /// The CReq goes to an absolute http(s) URL.
    pub fn check(&self) -> Result<(), &'static str> {
        if threeds_api::origin_of(&self.acs_challenge_url).is_none() {
            return Err("acsChallengeUrl must be an absolute http(s) URL");
        }
        Ok(())
    }

    /// The mode: as given, else inline when the page gave a container, modal when not.
    pub fn mode(&self, has_container: bool) -> Result<Mode, String> {
        match (self.mode.as_deref(), has_container) {
            (Some("inline"), _) | (None, true) => Ok(Mode::Inline),
            (Some("modal"), _) | (None, false) => Ok(Mode::Modal),
            (Some(other), _) => Err(format!("mode must be \"inline\" or \"modal\", not \"{other}\"")),
        }
    }

    /// The requested window size: a spec code, or `auto` when none is given.
    pub fn window_size(&self) -> &str {
        self.window_size.as_deref().unwrap_or("auto")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(api_base_url: &str, publishable_key: &str) -> LoadOptions {
        LoadOptions { api_base_url: api_base_url.into(), publishable_key: publishable_key.into(), host_url: None, ready_timeout_ms: None }
    }

    fn challenge(acs_challenge_url: &str, mode: Option<&str>) -> StartChallengeOptions {
        StartChallengeOptions {
            session_id: "s".into(),
            acs_challenge_url: acs_challenge_url.into(),
            acs_transaction_id: "a".into(),
            three_ds_version: "2.2.0".into(),
            three_ds_server_trans_id: None,
            window_size: None,
            mode: mode.map(str::to_owned),
            timeout_ms: None,
        }
    }

    #[test]
    fn load_needs_an_api_url_and_a_publishable_key() {
        assert_eq!(load("https://api.example", "pk_test").check(), Ok(()));
        assert_eq!(load("not a url", "pk_test").check(), Err("apiBaseUrl must be an absolute http(s) URL"));
        assert_eq!(load("https://api.example", "").check(), Err("publishableKey is required"));
        assert_eq!(load("https://api.example", "sk_test_x").check(), Err("publishableKey: a secret key must never reach a browser"));
    }

    #[test]
    fn a_session_names_its_card_exactly_once() {
        let options = |pan: Option<&str>, token: Option<&str>| CreateSessionOptions {
            pan: pan.map(str::to_owned),
            token_id: token.map(str::to_owned),
            method_timeout_ms: None,
        };
        assert_eq!(options(Some("4000020000000000"), None).check(), Ok(()));
        assert_eq!(options(None, Some("tok_1")).check(), Ok(()));
        assert!(options(None, None).check().is_err());
        assert!(options(Some("4000020000000000"), Some("tok_1")).check().is_err());
    }

    #[test]
    fn a_challenge_goes_to_an_http_url() {
        assert_eq!(challenge("http://127.0.0.1:8182/challenge", None).check(), Ok(()));
        assert!(challenge("javascript:alert(1)", None).check().is_err());
    }

    #[test]
    fn the_mode_follows_the_container_unless_given() {
        assert_eq!(challenge("http://acs/", None).mode(true), Ok(Mode::Inline));
        assert_eq!(challenge("http://acs/", None).mode(false), Ok(Mode::Modal));
        assert_eq!(challenge("http://acs/", Some("modal")).mode(true), Ok(Mode::Modal));
        assert_eq!(challenge("http://acs/", Some("inline")).mode(false), Ok(Mode::Inline));
        assert_eq!(challenge("http://acs/", Some("popup")).mode(true), Err("mode must be \"inline\" or \"modal\", not \"popup\"".to_owned()));
        assert_eq!(challenge("http://acs/", None).window_size(), "auto");
    }
}
