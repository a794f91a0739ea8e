//! The options a checkout page passes: read field by field from the JS object
//! (`read`, errors naming the option), then checked by pure rules (`check`, tested
//! natively), with the defaults of what a page leaves out.

use wasm_bindgen::{JsCast, JsValue};

use super::js::{Fields, cat};
use super::layout::Mode;

/// Default wait for the host frame's `ready`, ms.
pub const READY_TIMEOUT_MS: u32 = 10_000;
/// Default 3DS Method wait, ms (then the flow goes on with N).
pub const METHOD_TIMEOUT_MS: u32 = 10_000;
/// Default challenge timeout: 10 minutes.
pub const CHALLENGE_TIMEOUT_MS: u32 = 600_000;
/// What `runMethod` allows beyond its method timeout before the host frame counts as gone, ms.
pub const METHOD_MARGIN_MS: u32 = 5_000;
/// What `createSession` allows beyond its method timeout for the API calls, ms.
pub const SESSION_MARGIN_MS: u32 = 30_000;
/// The longest wait any option may ask for: a day, ms. With [`SESSION_MARGIN_MS`]
/// added it stays far below what a browser timer takes (2^31 - 1), which fires at
/// once instead of waiting when it overflows.
pub const MAX_TIMEOUT_MS: u32 = 86_400_000;

/// Why a URL (as the browser parsed it) is refused: not http(s), or http off
/// loopback (`localhost`, `127.0.0.1`, `[::1]`).
pub fn url_problem(protocol: &str, hostname: &str) -> Option<&'static str> {
    match protocol {
        "https:" => None,
        "http:" if matches!(hostname, "localhost" | "127.0.0.1" | "[::1]") => None,
        "http:" => Some(" must be an https URL (http only on localhost, 127.0.0.1 or [::1])"),
        _ => Some(" must be an absolute http(s) URL"),
    }
}

/// Checks a URL option, parsed by the browser, and gives its origin; the error
/// names the option.
pub fn check_url(name: &str, url: &str) -> Result<String, String> {
    let problem = match web_sys::Url::new(url) {
        Ok(parsed) => match url_problem(&parsed.protocol(), &parsed.hostname()) {
            None => return Ok(parsed.origin()),
            Some(problem) => problem,
        },
        Err(_) => " must be an absolute http(s) URL",
    };
    Err(cat(&[name, problem]))
}

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
    /// `locale`: a language tag (`de`, `fr-CA`); default: the browser's languages.
    pub locale: Option<String>,
}

impl LoadOptions {
    /// Reads the options object.
    pub fn read(value: &JsValue) -> Result<Self, String> {
        let fields = Fields::of(value, "ThreeDS.load options")?;
        let options = Self {
            api_base_url: fields.required_string("apiBaseUrl")?,
            publishable_key: fields.required_string("publishableKey")?,
            host_url: fields.string("hostUrl")?,
            ready_timeout_ms: fields.millis("readyTimeoutMs")?,
            locale: fields.string("locale")?,
        };
        check_url("apiBaseUrl", &options.api_base_url)?;
        options.check()?;
        Ok(options)
    }

    /// A publishable key: never a secret one (`read` checks the URL).
    pub fn check(&self) -> Result<(), String> {
        if self.publishable_key.is_empty() {
            return Err("publishableKey is required".into());
        }
        if self.publishable_key.starts_with("sk_") {
            return Err("publishableKey: a secret key must never reach a browser".into());
        }
        Ok(())
    }
}

/// A background call's waits: the 3DS Method's (sent to the host), and the
/// watchdog of the whole call. `createSession`: `methodTimeoutMs`, and `timeoutMs`
/// or the method's plus [`SESSION_MARGIN_MS`]; `runMethod`: `timeoutMs`, plus
/// [`METHOD_MARGIN_MS`]; `collectBrowserInfo`: the host frame's `ready` wait.
pub fn background_timeouts(call: &str, method_timeout_ms: Option<u32>, timeout_ms: Option<u32>, ready_timeout_ms: u32) -> (u32, u32) {
    match call {
        "createSession" => {
            let method = method_timeout_ms.unwrap_or(METHOD_TIMEOUT_MS);
            (method, timeout_ms.unwrap_or(method + SESSION_MARGIN_MS))
        }
        "runMethod" => {
            let method = timeout_ms.unwrap_or(METHOD_TIMEOUT_MS);
            (method, method + METHOD_MARGIN_MS)
        }
        _ => (timeout_ms.unwrap_or(METHOD_TIMEOUT_MS), ready_timeout_ms),
    }
}

/// How a challenge (or a processor's page) is shown: `windowSize`, `mode`,
/// `timeoutMs` (`container` is read apart: it is an element or a selector).
pub struct Display {
    /// `windowSize`: a spec code or `auto`.
    pub window_size: Option<String>,
    /// `mode`.
    pub mode: Option<String>,
    /// `timeoutMs`.
    pub timeout_ms: Option<u32>,
}

impl Display {
    /// Reads `windowSize`, `mode` and `timeoutMs`.
    pub fn read(fields: &Fields) -> Result<Self, String> {
        Ok(Self { window_size: fields.string("windowSize")?, mode: fields.string("mode")?, timeout_ms: fields.millis("timeoutMs")? })
    }

    /// The mode: as given, else inline when the page gave a container, modal when not.
    pub fn mode(&self, has_container: bool) -> Result<Mode, String> {
        mode(self.mode.as_deref(), has_container)
    }

    /// The requested window size: a spec code, or `auto` when none is given.
    pub fn window_size(&self) -> &str {
        self.window_size.as_deref().unwrap_or("auto")
    }
}

fn mode(given: Option<&str>, has_container: bool) -> Result<Mode, String> {
    match (given, has_container) {
        (Some("inline"), _) | (None, true) => Ok(Mode::Inline),
        (Some("modal"), _) | (None, false) => Ok(Mode::Modal),
        (Some(other), _) => Err(cat(&["mode must be \"inline\" or \"modal\", not \"", other, "\""])),
    }
}

/// A call's options: the host reads and checks them (the contracts crate's
/// `calls`); the embed reads what it acts on itself (how the frame is shown, its
/// own timers) and forwards the object as JSON text.
pub struct CallOptions {
    /// The options object, as `JSON.stringify` wrote it.
    pub json: String,
    /// How a frame is shown (`startChallenge`, `challenge`, `presentAuthentication`), and `timeoutMs`.
    pub display: Display,
    /// `methodTimeoutMs` (`createSession`).
    pub method_timeout_ms: Option<u32>,
}

impl CallOptions {
    /// Reads `value`, the options object of `call`; `api` (the client's
    /// `apiBaseUrl` and `publishableKey`) goes into the JSON of the session API's
    /// calls (`createSession`, `startChallenge`).
    pub fn read(value: &JsValue, call: &'static str, api: (&str, &str)) -> Result<Self, String> {
        let fields = Fields::of(value, call)?;
        let display = Display::read(&fields)?;
        let method_timeout_ms = fields.millis("methodTimeoutMs")?;
        // A copy without `container`, which stays with the embed: an element need not
        // be JSON (React's carry circular references). The page's object stays as it was.
        let forwarded = js_sys::Object::assign(&js_sys::Object::new(), value.unchecked_ref());
        let _ = js_sys::Reflect::delete_property(&forwarded, &"container".into());
        if matches!(call, "createSession" | "startChallenge") {
            let (api_base_url, publishable_key) = api;
            super::js::set(&forwarded, "apiBaseUrl", super::js::str(api_base_url));
            super::js::set(&forwarded, "publishableKey", super::js::str(publishable_key));
        }
        let json = js_sys::JSON::stringify(&forwarded)
            .ok()
            .and_then(|json| json.as_string())
            .ok_or_else(|| cat(&[call, " options cannot be written as JSON"]))?;
        Ok(Self { json, display, method_timeout_ms })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(api_base_url: &str, publishable_key: &str) -> LoadOptions {
        LoadOptions {
            api_base_url: api_base_url.into(),
            publishable_key: publishable_key.into(),
            host_url: None,
            ready_timeout_ms: None,
            locale: None,
        }
    }

    fn display(mode: Option<&str>) -> Display {
        Display { window_size: None, mode: mode.map(str::to_owned), timeout_ms: None }
    }

    fn err(message: &str) -> Result<(), String> {
        Err(message.to_owned())
    }

    #[test]
    fn load_needs_a_publishable_key() {
        assert_eq!(load("https://api.example", "pk_test").check(), Ok(()));
        assert_eq!(load("https://api.example", "").check(), err("publishableKey is required"));
        assert_eq!(load("https://api.example", "sk_test_x").check(), err("publishableKey: a secret key must never reach a browser"));
    }

    #[test]
    fn urls_are_https_except_on_loopback() {
        for (protocol, host) in [("https:", "api.example"), ("http:", "localhost"), ("http:", "127.0.0.1"), ("http:", "[::1]")] {
            assert_eq!(url_problem(protocol, host), None, "{protocol}{host}");
        }
        for host in ["api.example", "localhost.evil.example", "127.0.0.2", "[::2]", "127.0.0.1.nip.io"] {
            assert_eq!(url_problem("http:", host), Some(" must be an https URL (http only on localhost, 127.0.0.1 or [::1])"), "{host}");
        }
        for protocol in ["javascript:", "data:", "file:", "blob:"] {
            assert_eq!(url_problem(protocol, ""), Some(" must be an absolute http(s) URL"), "{protocol}");
        }
    }

    #[test]
    fn messages_are_joined_without_the_formatting_machinery() {
        assert_eq!(cat(&["a", "", "bc"]), "abc");
    }

    #[test]
    fn the_session_watchdog_never_overflows_a_timer() {
        let session = |method, timeout| background_timeouts("createSession", method, timeout, 1);
        assert_eq!(session(None, None), (METHOD_TIMEOUT_MS, METHOD_TIMEOUT_MS + SESSION_MARGIN_MS));
        assert_eq!(session(Some(5), Some(300)), (5, 300));
        let (_, watchdog) = session(Some(MAX_TIMEOUT_MS), None);
        assert!(watchdog <= i32::MAX as u32, "a browser timer fires at once past 2^31 - 1");
        let (_, watchdog) = background_timeouts("runMethod", None, Some(MAX_TIMEOUT_MS), 1);
        assert!(watchdog <= i32::MAX as u32);
        assert_eq!(background_timeouts("runMethod", None, Some(200), 1), (200, 200 + METHOD_MARGIN_MS));
        assert_eq!(background_timeouts("collectBrowserInfo", None, None, 3000).1, 3000, "the ready wait");
    }

    #[test]
    fn the_mode_follows_the_container_unless_given() {
        assert_eq!(display(None).mode(true), Ok(Mode::Inline));
        assert_eq!(display(None).mode(false), Ok(Mode::Modal));
        assert_eq!(display(Some("modal")).mode(true), Ok(Mode::Modal));
        assert_eq!(display(Some("inline")).mode(false), Ok(Mode::Inline));
        assert_eq!(display(Some("popup")).mode(true), Err("mode must be \"inline\" or \"modal\", not \"popup\"".to_owned()));
        assert_eq!(display(None).window_size(), "auto");
    }
}
